using Inference.Onnx.Runtime;

namespace Inference.Host.Scheduling;

/// <summary>Picks an instance's run strategy from its IoBinding setting and where its session really runs.</summary>
internal static class InstanceRunners
{
    public static bool UsesIoBinding(IoBindingMode mode, ExecutionProviderKind effective) => mode switch
    {
        IoBindingMode.On => true,
        IoBindingMode.Off => false,
        // A CUDA instance that fell back to CPU has nothing to bind to: it runs plainly.
        _ => effective == ExecutionProviderKind.Cuda,
    };

    /// <param name="placement">
    /// Always <see cref="OutputPlacement.Host"/> today: device-resident outputs are for a next consumer
    /// on the same GPU, which the host does not have yet (no ensembles).
    /// </param>
    public static IInstanceRunner Create(InferenceSession session, InstanceDevice device, IoBindingMode mode, OutputPlacement placement = OutputPlacement.Host)
    {
        if (!UsesIoBinding(mode, session.Provider.Effective))
        {
            return new SessionRunner(session);
        }

        var memory = placement == OutputPlacement.Device
            ? BoundOutputMemory.Device(session, device.CudaDeviceId)
            : BoundOutputMemory.Host(session, device.CudaDeviceId);
        return new IoBindingRunner(session, memory);
    }
}
