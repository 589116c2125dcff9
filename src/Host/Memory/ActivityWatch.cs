namespace Inference.Host.Memory;

/// <summary>
/// Decides when to trim: once after the host has served requests and then a whole interval passed
/// with none. Fed the count of requests the gates have seen so far, once per interval; trims at most
/// once per quiet spell, so an idle host is not collected over and over.
/// </summary>
public sealed class ActivityWatch
{
    private long lastCount;
    private bool busySinceTrim;

    /// <summary>True when requests came after the last trim but none during the interval that just ended.</summary>
    public bool ShouldTrim(long requestsSoFar)
    {
        var quiet = requestsSoFar == lastCount;
        lastCount = requestsSoFar;
        if (!quiet)
        {
            busySinceTrim = true;
            return false;
        }

        if (!busySinceTrim)
        {
            return false;
        }

        busySinceTrim = false;
        return true;
    }
}
