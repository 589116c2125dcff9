using System.Diagnostics;
using System.Text;

namespace Inference.Cli.Building;

/// <summary>
/// Builds a plugin folder's sources into its lib/ folder: <c>src/*.csproj</c> with <c>dotnet build</c>
/// (managed), or <c>src/CMakeLists.txt</c> with CMake into obj/cmake (native). ONNX-only plugins have
/// nothing to build.
/// </summary>
public static class PluginBuilder
{
    /// <summary>What would be built, or null when the folder has no sources.</summary>
    public static string? Describe(string folder)
    {
        var src = Path.Combine(folder, "src");
        if (!Directory.Exists(src))
        {
            return null;
        }

        var projects = Directory.GetFiles(src, "*.csproj");
        if (projects.Length > 0)
        {
            return $"dotnet build {Path.GetRelativePath(folder, projects[0])}";
        }

        return File.Exists(Path.Combine(src, "CMakeLists.txt")) ? "cmake src/CMakeLists.txt" : null;
    }

    public static async Task<BuildResult> BuildAsync(string folder, CancellationToken cancellationToken)
    {
        var description = Describe(folder) ?? "nothing to build";
        var src = Path.Combine(folder, "src");
        var projects = Directory.Exists(src) ? Directory.GetFiles(src, "*.csproj") : [];
        if (projects.Length > 1)
        {
            return new BuildResult(false, description, $"src/ holds {projects.Length} projects ({string.Join(", ", projects.Select(Path.GetFileName))}); keep the plugin's one");
        }

        if (projects.Length == 1)
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
            return await RunAsync(description, dotnet, ["build", projects[0], "-c", "Release", "--nologo", "-v", "quiet"], folder, cancellationToken);
        }

        if (File.Exists(Path.Combine(src, "CMakeLists.txt")))
        {
            var build = Path.Combine(folder, "obj", "cmake");
            var configured = await RunAsync(description, "cmake", ["-S", src, "-B", build, "-DCMAKE_BUILD_TYPE=Release"], folder, cancellationToken);
            return configured.Succeeded ? await RunAsync(description, "cmake", ["--build", build], folder, cancellationToken) : configured;
        }

        return new BuildResult(true, description, "");
    }

    private static async Task<BuildResult> RunAsync(string description, string tool, string[] arguments, string folder, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A build started from inside another (a test run, an IDE) must not inherit that MSBuild's state.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MSBuild", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new BuildResult(false, description, $"could not start {tool}: {e.Message} (is it installed and on PATH?)");
        }

        using (process)
        {
            var output = new StringBuilder();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            output.Append(await stdout).Append(await stderr);
            return new BuildResult(process.ExitCode == 0, description, output.ToString());
        }
    }
}
