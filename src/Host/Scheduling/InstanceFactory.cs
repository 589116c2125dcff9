using Inference.Onnx.Runtime;

namespace Inference.Host.Scheduling;

/// <summary>
/// Opens new instances of one model: the host's session options with the model's thread settings
/// and the device of the instance. Devices are filled evenly, in the order configured.
/// </summary>
public sealed class InstanceFactory
{
    private readonly Func<OnnxSessionOptions, InferenceSession> open;
    private readonly OnnxSessionOptions baseOptions;
    private readonly InstanceOptions options;

    /// <param name="open">Opens the model with the given options (by path in the host, from bytes in tests).</param>
    public InstanceFactory(Func<OnnxSessionOptions, InferenceSession> open, OnnxSessionOptions baseOptions, InstanceOptions options)
    {
        this.open = open;
        this.baseOptions = baseOptions;
        this.options = options;
        Devices = options.Devices.Count > 0
            ? options.Devices
            : [new InstanceDevice(baseOptions.ExecutionProvider.Kind, baseOptions.ExecutionProvider.CudaDeviceId)];
    }

    public IReadOnlyList<InstanceDevice> Devices { get; }

    public ModelInstance Create(InstanceDevice device)
    {
        var session = open(SessionOptionsFor(device));
        try
        {
            return new ModelInstance(session, device, options.IoBinding);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>An instance on the device that has the fewest of <paramref name="current"/>.</summary>
    public ModelInstance CreateNext(IReadOnlyList<ModelInstance> current) => Create(NextDevice(current));

    public InstanceDevice NextDevice(IReadOnlyList<ModelInstance> current)
    {
        var best = Devices[0];
        var bestCount = int.MaxValue;
        foreach (var device in Devices)
        {
            var count = current.Count(i => i.Device == device);
            if (count < bestCount)
            {
                (best, bestCount) = (device, count);
            }
        }

        return best;
    }

    public OnnxSessionOptions SessionOptionsFor(InstanceDevice device) => baseOptions with
    {
        IntraOpThreads = options.IntraOpThreads ?? baseOptions.IntraOpThreads,
        InterOpThreads = options.InterOpThreads ?? baseOptions.InterOpThreads,
        ExecutionProvider = baseOptions.ExecutionProvider with { Kind = device.Kind, CudaDeviceId = device.CudaDeviceId },
    };
}
