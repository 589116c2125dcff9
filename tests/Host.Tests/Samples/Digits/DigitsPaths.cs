using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Samples.Digits;

/// <summary>Where the digits sample, its training outputs and the decoder fixtures are in the checkout.</summary>
internal static class DigitsPaths
{
    public static string Package { get; } = Path.Combine(RepoPaths.Root, "samples", "packages", "digits");

    public static string Training { get; } = Path.Combine(Package, "src", "training");

    public static string Assembly { get; } = Path.Combine(Package, "lib", "Inference.Samples.Digits.dll");

    public static string CommittedPackage { get; } = Path.Combine(RepoPaths.Root, "samples", "models", "digits-1.0.0.tar.gz");

    public static string Fixtures { get; } = Path.Combine(RepoPaths.Root, "tests", "Host.Tests", "Samples", "Digits", "Data");

    public static string Fixture(string name) => Path.Combine(Fixtures, name);
}
