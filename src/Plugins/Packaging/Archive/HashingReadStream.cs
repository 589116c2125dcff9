using System.Security.Cryptography;

namespace Inference.Packaging.Archive;

/// <summary>
/// Hashes the package's compressed bytes as the extractor reads them, so MD5 and extraction are one pass
/// over the file, and reports how far the reading has got.
/// </summary>
internal sealed class HashingReadStream(Stream inner, IProgress<long>? progress) : ObservedReadStream(inner)
{
    /// <summary>
    /// Progress goes out at most once per this many bytes (and at the end): the gzip stream reads 8 KiB
    /// at a time, and a report per read would flood a UI-bound IProgress.
    /// </summary>
    private const long ProgressStep = 1 << 20;

    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private long _reported = -1;

    /// <summary>The digest of everything read; call once, after reading to the end.</summary>
    public Md5Digest Finish() => Md5Digest.FromBytes(_md5.GetHashAndReset());

    protected override void Observe(ReadOnlySpan<byte> data, bool endOfStream)
    {
        _md5.AppendData(data);
        if (progress is not null && BytesRead != _reported && (endOfStream || BytesRead - Math.Max(_reported, 0) >= ProgressStep))
        {
            _reported = BytesRead;
            progress.Report(BytesRead);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _md5.Dispose();
        }

        base.Dispose(disposing);
    }
}
