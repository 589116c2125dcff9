using Inference.Host.Scheduling;
using Inference.Host.Tests.Execution;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Scheduling;

public sealed class InstanceFactoryTests
{
    private static readonly byte[] Model = SchedulingModels.Identity(TensorElementType.Float);

    private static readonly OnnxSessionOptions Host = new()
    {
        IntraOpThreads = 1,
        InterOpThreads = 1,
        ExecutionProvider = new ExecutionProviderOptions { Kind = ExecutionProviderKind.Cuda, CudaDeviceId = 2, OnUnavailable = ProviderUnavailableAction.FallBackToCpu },
    };

    [Fact]
    public void WithoutDevicesInstancesGoToTheHostsProvider()
    {
        var factory = new InstanceFactory(_ => throw new InvalidOperationException(), Host, InstanceOptions.Default);

        Assert.Equal([InstanceDevice.Cuda(2)], factory.Devices);
    }

    [Fact]
    public void SessionOptionsTakeTheInstancesThreadsAndDevice()
    {
        var factory = new InstanceFactory(_ => throw new InvalidOperationException(), Host, new InstanceOptions { IntraOpThreads = 3, Devices = [InstanceDevice.Cpu] });

        var cpu = factory.SessionOptionsFor(InstanceDevice.Cpu);
        var cuda = factory.SessionOptionsFor(InstanceDevice.Cuda(1));

        Assert.Equal((3, 1), (cpu.IntraOpThreads, cpu.InterOpThreads));
        Assert.Equal(ExecutionProviderKind.Cpu, cpu.ExecutionProvider.Kind);
        Assert.Equal((ExecutionProviderKind.Cuda, 1), (cuda.ExecutionProvider.Kind, cuda.ExecutionProvider.CudaDeviceId));
        Assert.Equal(ProviderUnavailableAction.FallBackToCpu, cuda.ExecutionProvider.OnUnavailable);
    }

    [Fact]
    public void NewInstancesFillTheLeastUsedDeviceInOrder()
    {
        var opened = new List<ExecutionProviderOptions>();
        var factory = new InstanceFactory(
            o =>
            {
                opened.Add(o.ExecutionProvider);
                return OrtTestEnvironment.CreateSession(Model);
            },
            Host,
            new InstanceOptions { Devices = [InstanceDevice.Cuda(0), InstanceDevice.Cpu] });
        var instances = new List<ModelInstance>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                instances.Add(factory.CreateNext(instances));
            }

            Assert.Equal([InstanceDevice.Cuda(0), InstanceDevice.Cpu, InstanceDevice.Cuda(0)], instances.Select(i => i.Device));
            Assert.Equal(InstanceDevice.Cpu, factory.NextDevice(instances));
            Assert.Equal([ExecutionProviderKind.Cuda, ExecutionProviderKind.Cpu, ExecutionProviderKind.Cuda], opened.Select(o => o.Kind));
        }
        finally
        {
            instances.ForEach(i => i.Dispose());
        }
    }

    [Fact]
    public void ACudaInstanceFallsBackToCpuOrFailsAsTheHostIsConfigured()
    {
        if (OrtTestEnvironment.Instance.AvailableProviders.Contains(CudaProviderSettings.ProviderName))
        {
            return; // a CUDA build: nothing to fall back from here
        }

        var factory = new InstanceFactory(o => InferenceSession.Create(OrtTestEnvironment.Instance, Model, o), Host, new InstanceOptions { Devices = [InstanceDevice.Cuda(0)] });
        using (var instance = factory.CreateNext([]))
        {
            Assert.Equal(InstanceDevice.Cuda(0), instance.Device);
            Assert.Equal(ExecutionProviderKind.Cpu, instance.Provider.Effective);
            Assert.Contains(CudaProviderSettings.ProviderName, instance.Provider.Warning, StringComparison.Ordinal);
        }

        var strict = new InstanceFactory(
            o => InferenceSession.Create(OrtTestEnvironment.Instance, Model, o),
            Host with { ExecutionProvider = Host.ExecutionProvider with { OnUnavailable = ProviderUnavailableAction.Fail } },
            new InstanceOptions { Devices = [InstanceDevice.Cuda(0)] });
        Assert.Throws<ExecutionProviderUnavailableException>(() => strict.CreateNext([]));
    }
}
