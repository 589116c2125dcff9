using Inference.Onnx.Runtime;

namespace Inference.Host.Scheduling;

/// <summary>
/// A batch's output shared by the per-request views into it: each view holds a lease, and the
/// value (ORT's memory) is released when the last lease and the splitter's own reference are gone.
/// </summary>
internal sealed class SharedValue(OrtValue value)
{
    private int references = 1;

    /// <summary>A reference for one view, released when that view's OrtValue is disposed.</summary>
    public IDisposable Lease()
    {
        Interlocked.Increment(ref references);
        return new ViewLease(this);
    }

    /// <summary>Drops one reference (the creator's, or a lease's).</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            value.Dispose();
        }
    }

    private sealed class ViewLease(SharedValue owner) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                owner.Release();
            }
        }
    }
}
