using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Inference.Onnx.Binding;
using Inference.Onnx.Binding.Handles;

namespace Inference.Onnx.Runtime;

/// <summary>
/// The process's ORT environment. ORT keeps one reference-counted environment per process, and
/// its logger is fixed by whoever creates it first, so the host creates exactly one, at start.
/// ORT's own log lines go to <see cref="OrtLogSink"/> rather than to stderr.
/// </summary>
public sealed unsafe class OrtEnvironment : IDisposable
{
    private OrtEnvironment(OrtEnvHandle handle)
    {
        Handle = handle;
        AvailableProviders = OrtLibrary.GetAvailableProviders();
    }

    internal OrtEnvHandle Handle { get; }

    public string Version => OrtLibrary.Version;

    public OrtLibraryLocation Library => OrtLibrary.Location!;

    public IReadOnlyList<string> AvailableProviders { get; }

    /// <summary>Loads the library (if needed) and creates the environment.</summary>
    public static OrtEnvironment Create(OrtLibraryLocation library, OrtLoggingLevel level, OrtLogSink sink, string logId = "runtime-host")
    {
        OrtLibrary.Load(library);
        var sinkHandle = GCHandle.Alloc(sink);
        var handle = new OrtEnvHandle();
        try
        {
            using var id = new NativeUtf8(logId);
            nint env;
            OrtStatus.Check(OrtLibrary.Api.CreateEnvWithCustomLogger(&OnLog, GCHandle.ToIntPtr(sinkHandle), (int)level, id.Pointer, &env));
            handle.Attach(env);
        }
        catch
        {
            sinkHandle.Free();
            throw;
        }

        return new OrtEnvironment(handle);
    }

    /// <remarks>
    /// The log sink stays allocated: ORT's environment is shared and reference-counted, so it (and
    /// its logger, which calls back with the sink) can outlive this object.
    /// </remarks>
    public void Dispose() => Handle.Dispose();

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(nint param, int severity, byte* category, byte* logId, byte* codeLocation, byte* message)
    {
        try
        {
            if (GCHandle.FromIntPtr(param).Target is OrtLogSink sink)
            {
                sink((OrtLoggingLevel)severity, Marshal.PtrToStringUTF8((nint)category) ?? "", Marshal.PtrToStringUTF8((nint)message) ?? "");
            }
        }
        catch
        {
            // Never let an exception cross back into native code.
        }
    }
}
