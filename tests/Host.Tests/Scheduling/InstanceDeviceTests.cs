using Inference.Host.Scheduling;
using Inference.Onnx.Runtime;

namespace Inference.Host.Tests.Scheduling;

public sealed class InstanceDeviceTests
{
    [Theory]
    [InlineData("cpu", ExecutionProviderKind.Cpu, 0, "cpu")]
    [InlineData(" CPU ", ExecutionProviderKind.Cpu, 0, "cpu")]
    [InlineData("cuda", ExecutionProviderKind.Cuda, 0, "cuda:0")]
    [InlineData("cuda:3", ExecutionProviderKind.Cuda, 3, "cuda:3")]
    [InlineData("Cuda:64", ExecutionProviderKind.Cuda, 64, "cuda:64")]
    public void ValidDevicesParse(string text, ExecutionProviderKind kind, int id, string formatted)
    {
        Assert.True(InstanceDevice.TryParse(text, out var device));

        Assert.Equal(new InstanceDevice(kind, id), device);
        Assert.Equal(formatted, device.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:65")]
    [InlineData("cuda:1:2")]
    [InlineData("cpu:0")]
    public void OtherTextDoesNot(string? text)
    {
        Assert.False(InstanceDevice.TryParse(text, out _));
    }
}
