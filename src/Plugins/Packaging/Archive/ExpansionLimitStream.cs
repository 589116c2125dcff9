namespace Inference.Packaging.Archive;

/// <summary>
/// Counts the bytes that come out of the gzip stream and stops it once they pass a budget. This is the
/// archive-bomb guard that does not depend on any header: tar headers, PAX records, long-name records,
/// padding and whatever follows the end-of-archive marker all pass through here and are counted.
/// It never asks the decompressor for more than one byte past the budget, so a bomb is stopped
/// after at most a buffer of work.
/// </summary>
internal sealed class ExpansionLimitStream(Stream inner, long budget) : ObservedReadStream(inner)
{
    public long Budget => budget;

    public bool Exceeded { get; private set; }

    protected override int Admit(int requested) =>
        requested == 0 ? 0 : (int)Math.Min(requested, Math.Max(1, budget - BytesRead + 1));

    protected override void Observe(ReadOnlySpan<byte> data, bool endOfStream)
    {
        if (BytesRead > budget)
        {
            Exceeded = true;
            throw new PackageException(PackageErrorCode.LimitExceeded, $"the archive expands to more than {budget} bytes");
        }
    }
}
