using Microsoft.Extensions.Configuration;

namespace Inference.Host.Configuration;

/// <summary>
/// Where settings come from, lowest to highest priority: appsettings.json, the JSON file named by
/// <c>--settings</c> (or RUNTIME_SETTINGS), RUNTIME_-prefixed environment variables
/// (RUNTIME_Host__HttpPort), the short environment variables below, then the command line
/// (--repository, --http-port, ...). Every setting also has its full key (--Host:HttpPort). Both JSON
/// files are watched: editing them while the host runs changes what can change live (load limits).
/// </summary>
public static class HostConfiguration
{
    public static readonly IReadOnlyDictionary<string, string> CommandLineSwitches = new Dictionary<string, string>
    {
        ["--repository"] = "Host:Repository",
        ["--http-port"] = "Host:HttpPort",
        ["--http-address"] = "Host:HttpAddress",
        ["--health-port"] = "Host:HealthPort",
        ["--grpc-port"] = "Host:GrpcPort",
        ["--max-request-body-bytes"] = "Host:MaxRequestBodyBytes",
        ["--run-test-cases-on-load"] = "Host:RunTestCasesOnLoad",
        ["--ort-library"] = "OnnxRuntime:LibraryPath",
        ["--execution-provider"] = "OnnxRuntime:ExecutionProvider",
        ["--cuda-device"] = "OnnxRuntime:CudaDeviceId",
        ["--cuda-fallback-to-cpu"] = "OnnxRuntime:CudaFallbackToCpu",
        ["--intra-op-threads"] = "OnnxRuntime:IntraOpThreads",
    };

    public static readonly IReadOnlyDictionary<string, string> EnvironmentVariables = new Dictionary<string, string>
    {
        ["RUNTIME_REPOSITORY"] = "Host:Repository",
        ["RUNTIME_HTTP_PORT"] = "Host:HttpPort",
        ["RUNTIME_HTTP_ADDRESS"] = "Host:HttpAddress",
        ["RUNTIME_HEALTH_PORT"] = "Host:HealthPort",
        ["RUNTIME_GRPC_PORT"] = "Host:GrpcPort",
        ["RUNTIME_EXECUTION_PROVIDER"] = "OnnxRuntime:ExecutionProvider",
    };

    public const string SettingsSwitch = "--settings";
    public const string SettingsVariable = "RUNTIME_SETTINGS";

    public static void Apply(IConfigurationBuilder configuration, string[] args, Func<string, string?> getEnvironmentVariable)
    {
        if ((SettingsFile(args) ?? getEnvironmentVariable(SettingsVariable)) is { Length: > 0 } settings)
        {
            // Not optional: a settings file that is named but missing is a typo the operator must see.
            configuration.AddJsonFile(Path.GetFullPath(settings), optional: false, reloadOnChange: true);
        }

        configuration.AddEnvironmentVariables("RUNTIME_");
        var shortVariables = new Dictionary<string, string?>();
        foreach (var (variable, key) in EnvironmentVariables)
        {
            if (getEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                shortVariables[key] = value;
            }
        }

        configuration.AddInMemoryCollection(shortVariables);
        configuration.AddCommandLine(args, CommandLineSwitches.ToDictionary());
    }

    /// <summary>The value of <c>--settings FILE</c> or <c>--settings=FILE</c>, the last one given.</summary>
    private static string? SettingsFile(string[] args)
    {
        string? file = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == SettingsSwitch && i + 1 < args.Length)
            {
                file = args[++i];
            }
            else if (args[i].StartsWith(SettingsSwitch + "=", StringComparison.Ordinal))
            {
                file = args[i][(SettingsSwitch.Length + 1)..];
            }
        }

        return file;
    }
}
