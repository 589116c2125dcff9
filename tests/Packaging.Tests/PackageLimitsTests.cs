using Inference.Packaging;

namespace Inference.Packaging.Tests;

public sealed class PackageLimitsTests
{
    [Fact]
    public void DefaultsAllowLargeModelsButNotUnboundedArchives()
    {
        var limits = new PackageLimits();

        Assert.True(limits.MaxFileBytes >= 1L << 30, "a package must be able to carry a multi-gigabyte model");
        Assert.True(limits.MaxTotalBytes >= limits.MaxFileBytes);
        Assert.InRange(limits.MaxEntries, 100, 1_000_000);
    }
}
