using Inference.Host.Scheduling;
using Inference.Host.Tests.Execution;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Scheduling;

/// <summary>
/// Which instances run through an IoBinding: <c>auto</c> binds only where the session really runs
/// on CUDA (so a CUDA instance that fell back to CPU runs plainly), <c>on</c> and <c>off</c> force it.
/// </summary>
public sealed class InstanceRunnersTests
{
    private static readonly byte[] Model = SchedulingModels.Identity(TensorElementType.Float);

    [Theory]
    [InlineData(IoBindingMode.Auto, ExecutionProviderKind.Cpu, false)]
    [InlineData(IoBindingMode.Auto, ExecutionProviderKind.Cuda, true)]
    [InlineData(IoBindingMode.On, ExecutionProviderKind.Cpu, true)]
    [InlineData(IoBindingMode.On, ExecutionProviderKind.Cuda, true)]
    [InlineData(IoBindingMode.Off, ExecutionProviderKind.Cpu, false)]
    [InlineData(IoBindingMode.Off, ExecutionProviderKind.Cuda, false)]
    public void TheModeAndTheProviderTheSessionReallyGotDecide(IoBindingMode mode, ExecutionProviderKind effective, bool bound)
    {
        Assert.Equal(bound, InstanceRunners.UsesIoBinding(mode, effective));
    }

    [Theory]
    [InlineData(IoBindingMode.Auto, false)]
    [InlineData(IoBindingMode.On, true)]
    [InlineData(IoBindingMode.Off, false)]
    public void ACudaInstanceThatFellBackToCpuRunsPlainlyUnlessForced(IoBindingMode mode, bool bound)
    {
        if (OrtTestEnvironment.Instance.AvailableProviders.Contains(CudaProviderSettings.ProviderName))
        {
            return; // a CUDA build: nothing to fall back from here
        }

        var host = new OnnxSessionOptions
        {
            IntraOpThreads = 1,
            InterOpThreads = 1,
            ExecutionProvider = new ExecutionProviderOptions { Kind = ExecutionProviderKind.Cuda, OnUnavailable = ProviderUnavailableAction.FallBackToCpu },
        };
        var factory = new InstanceFactory(o => InferenceSession.Create(OrtTestEnvironment.Instance, Model, o), host, new InstanceOptions { Devices = [InstanceDevice.Cuda(0)], IoBinding = mode });

        using var instance = factory.CreateNext([]);

        Assert.Equal(ExecutionProviderKind.Cuda, instance.Device.Kind);
        Assert.Equal(ExecutionProviderKind.Cpu, instance.Provider.Effective);
        Assert.Equal(bound, instance.UsesIoBinding);
        // Forced on a CPU session, the outputs go to plain CPU memory (the CUDA-pinned kind needs a CUDA session).
        Assert.Equal(bound ? "Cpu" : null, instance.OutputMemory);
        RunOnce(instance);
        Assert.Equal(bound ? 1 : 0, instance.LiveBindings);
    }

    [Fact]
    public void OutputsStayOnTheDeviceOnlyOnACudaInstance()
    {
        using var session = OrtTestEnvironment.CreateSession(Model);

        var e = Assert.Throws<ArgumentException>(() => InstanceRunners.Create(session, InstanceDevice.Cpu, IoBindingMode.On, OutputPlacement.Device));

        Assert.Contains("CUDA", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultConstructorKeepsPlainRunsOnTheCpu()
    {
        using var instance = new ModelInstance(OrtTestEnvironment.CreateSession(Model), InstanceDevice.Cpu);

        Assert.False(instance.UsesIoBinding);
        Assert.Null(instance.OutputMemory);
        RunOnce(instance);
        Assert.Equal(0, instance.LiveBindings);
    }

    private static void RunOnce(ModelInstance instance)
    {
        using var value = TensorData.Floats("IN", [1, 2], 1, 2).ToValue();
        using var options = new OrtRunOptions();
        var outputs = new OrtValue?[1];
        instance.Run([0], [value], [0], outputs, options);
        Assert.Equal([1f, 2f], TensorData.Take("OUT", outputs[0]!).AsFloats());
    }
}
