using Inference.Onnx.Runtime;

namespace Inference.Host.Scheduling;

/// <summary>
/// One run options object per thread: a run is synchronous on its thread, so no two runs share one.
/// Whoever registers a token to terminate a run must dispose that registration before the thread
/// runs anything else, which waits out a late Terminate before the object is reused.
/// </summary>
internal static class ThreadRunOptions
{
    [ThreadStatic]
    private static OrtRunOptions? current;

    public static OrtRunOptions Get()
    {
        var options = current ??= new OrtRunOptions();
        if (options.IsTerminated)
        {
            options.Reset();
        }

        return options;
    }
}
