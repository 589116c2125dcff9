using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Tests.Runtime;

public sealed class OrtMemoryInfoTests
{
    // Loads the library and creates the one environment before any test here touches ORT.
    public OrtMemoryInfoTests() => _ = OrtFixture.Environment;

    [Fact]
    public void CpuIsOneSharedInstanceNamedCpu()
    {
        Assert.Same(OrtMemoryInfo.Cpu, OrtMemoryInfo.Cpu);
        Assert.Equal("Cpu", OrtMemoryInfo.Cpu.Name);
    }

    [Fact]
    public void DisposingTheSharedCpuInfoKeepsItUsable()
    {
        OrtMemoryInfo.Cpu.Dispose();

        using var value = OrtValue.CreateTensor<int>(TensorElementType.Int32, [2], new int[] { 4, 5 });
        Assert.Equal([4, 5], value.GetData<int>().ToArray());
        Assert.Equal("Cpu", OrtMemoryInfo.Cpu.Name);
    }

    [Fact]
    public void CreateKeepsTheNameGiven()
    {
        using var info = OrtMemoryInfo.Create("Cpu", 0, OrtMemType.Default);

        Assert.Equal("Cpu", info.Name);
    }

    [Fact]
    public void UnknownDeviceNameIsRejected()
    {
        // Names are case-sensitive: "cpu" is not "Cpu".
        var e = Assert.Throws<OrtException>(() => OrtMemoryInfo.Create("cpu", 0));

        Assert.Equal(OrtErrorCode.InvalidArgument, e.Code);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }
}
