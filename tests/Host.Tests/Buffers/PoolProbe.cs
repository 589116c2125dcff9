using Inference.Host.Buffers;

namespace Inference.Host.Tests.Buffers;

/// <summary>
/// Detects pooled buffers that are not given back: seeds a private pool with known arrays of the
/// smallest size class, lets the code under test rent them, then checks that every seeded array can
/// be rented again. An array the code kept (or dropped) is replaced by a fresh one, and the check fails.
/// </summary>
internal sealed class PoolProbe
{
    public const int Size = 4096;
    private const byte Untouched = 0xEE;

    private readonly byte[][] seeded;

    public PoolProbe(int count = 2)
    {
        Pool = new PinnedBufferPool();
        seeded = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            seeded[i] = Pool.Rent(Size);
            seeded[i].AsSpan().Fill(Untouched);
        }

        Assert.Equal(count, seeded.Distinct().Count());
        foreach (var array in seeded)
        {
            Pool.Return(array);
        }
    }

    public PinnedBufferPool Pool { get; }

    /// <summary>Asserts that all seeded arrays are back in the pool (and puts them back again).</summary>
    public void AssertAllReturned()
    {
        var rented = new byte[seeded.Length][];
        for (var i = 0; i < rented.Length; i++)
        {
            rented[i] = Pool.Rent(Size);
        }

        try
        {
            foreach (var array in seeded)
            {
                Assert.Contains(rented, r => ReferenceEquals(r, array));
            }
        }
        finally
        {
            foreach (var array in rented)
            {
                Pool.Return(array);
            }
        }
    }

    /// <summary>True when some seeded array was written, starting with <paramref name="prefix"/>: the code did rent it.</summary>
    public bool WasFilledWith(ReadOnlySpan<byte> prefix)
    {
        foreach (var array in seeded)
        {
            if (array.AsSpan().StartsWith(prefix))
            {
                return true;
            }
        }

        return false;
    }
}
