using System.Diagnostics;
using System.Text.Json;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Grpc;

/// <summary>
/// The node gRPC client of <c>node/client.js</c>: its packages (@grpc/grpc-js, @grpc/proto-loader, pinned
/// by <c>node/package-lock.json</c>) are installed with <c>npm ci</c> the first time a test needs them
/// (into the ignored <c>node/node_modules</c>, kept for the next run), then the script runs against a host.
/// No skip: without node or the npm registry the test fails, saying which.
/// </summary>
internal static class NodeGrpcClient
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task> Install = new(InstallAsync);

    public static string Folder { get; } = Path.Combine(RepoPaths.Root, "tests", "Host.Tests", "Transport", "Grpc", "node");

    public static string Protos { get; } = Path.Combine(RepoPaths.Root, "src", "Host", "Protocol", "Grpc", "Protos");

    /// <summary>Runs client.js against <paramref name="grpcAddress"/> and returns the JSON it prints.</summary>
    public static async Task<JsonElement> RunAsync(Uri grpcAddress, TimeSpan timeout)
    {
        await Install.Value;
        var (exitCode, stdout, stderr) = await RunProcessAsync("node", ["client.js", $"{grpcAddress.Host}:{grpcAddress.Port}", Protos], timeout);
        Assert.True(exitCode == 0, $"node client.js exited with {exitCode}:\n{stderr}\n{stdout}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static async Task InstallAsync()
    {
        if (Installed("@grpc/grpc-js") && Installed("@grpc/proto-loader"))
        {
            return;
        }

        // --ignore-scripts: protobufjs's postinstall only prints a notice; nothing here needs it.
        var (exitCode, stdout, stderr) = await RunProcessAsync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], InstallTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"`npm ci` in {Folder} failed ({exitCode}): the node gRPC client test needs @grpc/grpc-js and @grpc/proto-loader from the npm registry " +
                $"(is it reachable? is npm installed?).\n{stderr}\n{stdout}");
        }
    }

    private static bool Installed(string package) => File.Exists(Path.Combine(Folder, "node_modules", package, "package.json"));

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(string program, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{program}' could not be started ({e.Message}): the node gRPC client test needs node 18+ and npm on the PATH", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}:\n{await stderr}\n{await stdout}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
