using System.Diagnostics;

namespace Inference.Native.Tests;

/// <summary>
/// Builds native/samples/text_wrapper with CMake (once per test run, into a temp folder) and loads it,
/// initialised with prefix "&gt;". The plugin keeps process-wide state, so its tests share this one instance.
/// </summary>
public sealed class SamplePluginFixture : IDisposable
{
    public SamplePluginFixture()
    {
        LibraryPath = Build();
        Plugin = WrapperPlugin.Load(LibraryPath);
        Plugin.Init(new Dictionary<string, string> { ["prefix"] = ">" });
    }

    public string LibraryPath { get; }

    public WrapperPlugin Plugin { get; }

    public void Dispose() => Plugin.Dispose();

    private static string Build()
    {
        var source = Path.Combine(RepoRoot(), "native", "samples", "text_wrapper");
        var build = Path.Combine(Path.GetTempPath(), "text_wrapper-build-" + Environment.ProcessId);
        Run("cmake", $"-S \"{source}\" -B \"{build}\" -DCMAKE_BUILD_TYPE=Release");
        Run("cmake", $"--build \"{build}\"");
        return Path.Combine(build, "libwrapper.so");
    }

    private static void Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {output.Result}{error}");
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Runtime.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Runtime.sln not found above " + AppContext.BaseDirectory);
    }
}
