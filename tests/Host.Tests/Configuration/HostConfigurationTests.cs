using Inference.Host.Configuration;
using Microsoft.Extensions.Configuration;

namespace Inference.Host.Tests.Configuration;

public sealed class HostConfigurationTests
{
    [Fact]
    public void ShortFlagsMapToTheirKeys()
    {
        var configuration = Build(["--repository", "/models", "--http-port", "9001", "--execution-provider", "Cuda", "--cuda-fallback-to-cpu", "true"], _ => null);

        Assert.Equal("/models", configuration["Host:Repository"]);
        Assert.Equal("9001", configuration["Host:HttpPort"]);
        Assert.Equal("Cuda", configuration["OnnxRuntime:ExecutionProvider"]);
        Assert.Equal("true", configuration["OnnxRuntime:CudaFallbackToCpu"]);
    }

    [Fact]
    public void ShortEnvironmentVariablesMapToTheirKeys()
    {
        var environment = new Dictionary<string, string> { ["RUNTIME_REPOSITORY"] = "/env-models", ["RUNTIME_HTTP_PORT"] = "9100" };

        var configuration = Build([], name => environment.GetValueOrDefault(name));

        Assert.Equal("/env-models", configuration["Host:Repository"]);
        Assert.Equal("9100", configuration["Host:HttpPort"]);
    }

    [Fact]
    public void TheGrpcPortHasAFlagAndAnEnvironmentVariable()
    {
        Assert.Equal("9301", Build(["--grpc-port", "9301"], _ => null)["Host:GrpcPort"]);
        Assert.Equal("9302", Build([], name => name == "RUNTIME_GRPC_PORT" ? "9302" : null)["Host:GrpcPort"]);
    }

    [Fact]
    public void CommandLineWinsOverEnvironment()
    {
        var environment = new Dictionary<string, string> { ["RUNTIME_HTTP_PORT"] = "9100" };

        var configuration = Build(["--http-port", "9200"], name => environment.GetValueOrDefault(name));

        Assert.Equal("9200", configuration["Host:HttpPort"]);
    }

    [Fact]
    public void FullKeysWorkOnTheCommandLine()
    {
        var configuration = Build(["--OnnxRuntime:IntraOpThreads", "4"], _ => null);

        Assert.Equal("4", configuration["OnnxRuntime:IntraOpThreads"]);
    }

    [Fact]
    public void SessionOptionsCarryTheSettings()
    {
        var options = new OnnxRuntimeOptions
        {
            IntraOpThreads = 3,
            ExecutionProvider = Onnx.Runtime.ExecutionProviderKind.Cuda,
            CudaDeviceId = 1,
            CudaMemoryLimitBytes = 1 << 30,
            CudaFallbackToCpu = true,
        }.ToSessionOptions("m:1");

        Assert.Equal(3, options.IntraOpThreads);
        Assert.Equal("m:1", options.LogId);
        Assert.Equal(Onnx.Runtime.ExecutionProviderKind.Cuda, options.ExecutionProvider.Kind);
        Assert.Equal(1, options.ExecutionProvider.CudaDeviceId);
        Assert.Equal(1L << 30, options.ExecutionProvider.CudaMemoryLimitBytes);
        Assert.Equal(Onnx.Runtime.ProviderUnavailableAction.FallBackToCpu, options.ExecutionProvider.OnUnavailable);
    }

    private static IConfiguration Build(string[] args, Func<string, string?> environment)
    {
        var builder = new ConfigurationBuilder();
        HostConfiguration.Apply(builder, args, environment);
        return builder.Build();
    }
}
