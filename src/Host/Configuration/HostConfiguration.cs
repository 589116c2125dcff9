using Microsoft.Extensions.Configuration;

namespace Inference.Host.Configuration;

/// <summary>
/// Where settings come from, lowest to highest priority: appsettings.json, RUNTIME_-prefixed
/// environment variables (RUNTIME_Host__HttpPort), the short environment variables below, then the
/// command line (--repository, --http-port, ...). Every setting also has its full key (--Host:HttpPort).
/// </summary>
public static class HostConfiguration
{
    public static readonly IReadOnlyDictionary<string, string> CommandLineSwitches = new Dictionary<string, string>
    {
        ["--repository"] = "Host:Repository",
        ["--http-port"] = "Host:HttpPort",
        ["--http-address"] = "Host:HttpAddress",
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
        ["RUNTIME_EXECUTION_PROVIDER"] = "OnnxRuntime:ExecutionProvider",
    };

    public static void Apply(IConfigurationBuilder configuration, string[] args, Func<string, string?> getEnvironmentVariable)
    {
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
}
