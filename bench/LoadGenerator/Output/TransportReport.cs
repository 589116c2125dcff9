namespace Inference.LoadGenerator.Output;

/// <summary>Requests that got no HTTP answer, by cause.</summary>
internal sealed record TransportReport(long Connect, long Timeout, long Closed, long Protocol)
{
    public long Total => Connect + Timeout + Closed + Protocol;
}
