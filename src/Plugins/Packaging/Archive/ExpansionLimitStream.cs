namespace Inference.Packaging.Archive;

/// <summary>
/// Counts the bytes that come out of the gzip stream and stops it once they pass a budget. This is the
/// archive-bomb guard that does not depend on any header: tar headers, PAX records, long-name records,
/// padding and whatever follows the end-of-archive marker all pass through here and are counted.
/// It never asks the decompressor for more than one byte past a budget, so a bomb is stopped after at
/// most a buffer of work.
/// </summary>
/// <remarks>
/// Two budgets. The whole archive's, for CPU and disk. And the headers', for memory: between two
/// entries the tar reader reads PAX and GNU long-name records whole into memory (sized by their own
/// header, up to 2 GiB), so the bytes read while the reader is looking for the next entry are limited
/// on their own, per entry; the extractor says when that is (<see cref="BeginHeaders"/>) and when it
/// reads an entry's content instead (<see cref="BeginContent"/>).
/// </remarks>
internal sealed class ExpansionLimitStream(Stream inner, long budget, long headerBudget) : ObservedReadStream(inner)
{
    private bool _inHeaders;
    private long _headerBytes;

    public long Budget => budget;

    public long HeaderBudget => headerBudget;

    /// <summary>Whether the whole archive went past its budget (the exception thrown says so too).</summary>
    public bool Exceeded { get; private set; }

    /// <summary>Whether the headers before one entry went past their budget.</summary>
    public bool HeadersExceeded { get; private set; }

    /// <summary>The tar reader is about to look for the next entry: what it reads now is headers.</summary>
    public void BeginHeaders()
    {
        _inHeaders = true;
        _headerBytes = 0;
    }

    /// <summary>What is read now is an entry's content, or what follows the archive, bounded by other limits.</summary>
    public void BeginContent() => _inHeaders = false;

    protected override int Admit(int requested)
    {
        if (requested == 0)
        {
            return 0;
        }

        var allowed = Math.Min(requested, Math.Max(1, budget - BytesRead + 1));
        if (_inHeaders)
        {
            allowed = Math.Min(allowed, Math.Max(1, headerBudget - _headerBytes + 1));
        }

        return (int)allowed;
    }

    protected override void Observe(ReadOnlySpan<byte> data, bool endOfStream)
    {
        if (BytesRead > budget)
        {
            Exceeded = true;
            throw new PackageException(PackageErrorCode.LimitExceeded, $"the archive expands to more than {budget} bytes");
        }

        if (_inHeaders)
        {
            _headerBytes += data.Length;
            if (_headerBytes > headerBudget)
            {
                HeadersExceeded = true;
                throw new PackageException(PackageErrorCode.LimitExceeded, $"the tar headers of one entry take more than {headerBudget} bytes");
            }
        }
    }
}
