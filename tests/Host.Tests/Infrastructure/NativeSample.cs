using System.Diagnostics;

namespace Inference.Host.Tests.Infrastructure;

/// <summary>Builds native/samples/text_wrapper with CMake into a temp folder (once per test process).</summary>
internal static class NativeSample
{
    private static readonly Lazy<string> Library = new(BuildOnce);

    public static string Build() => Library.Value;

    private static string BuildOnce()
    {
        var source = Path.Combine(RepoPaths.Root, "native", "samples", "text_wrapper");
        var build = Path.Combine(Path.GetTempPath(), "host-tests-text_wrapper-" + Environment.ProcessId);
        Run($"-S \"{source}\" -B \"{build}\" -DCMAKE_BUILD_TYPE=Release");
        Run($"--build \"{build}\"");
        return Path.Combine(build, "libwrapper.so");
    }

    private static void Run(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("cmake", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("could not start cmake");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"cmake {arguments} failed: {output.Result}{error}");
        }
    }
}
