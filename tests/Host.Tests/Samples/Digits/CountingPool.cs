using System.Buffers;
using System.Runtime.CompilerServices;

namespace Inference.Host.Tests.Samples.Digits;

/// <summary>
/// An array pool that knows which of its arrays are out, so a test can see every rented buffer come back.
/// Its arrays are longer than asked and full of junk, as a real pool's may be, so code that reads past
/// what it wrote, or trusts an array's length, shows.
/// </summary>
internal sealed class CountingPool : ArrayPool<byte>
{
    private readonly HashSet<byte[]> rented = new(ReferenceEqualityComparer.Instance);

    public int Outstanding
    {
        get
        {
            lock (rented)
            {
                return rented.Count;
            }
        }
    }

    public int Rents { get; private set; }

    public override byte[] Rent(int minimumLength)
    {
        var array = new byte[minimumLength + 13];
        array.AsSpan().Fill(0xCD);
        lock (rented)
        {
            rented.Add(array);
            Rents++;
        }

        return array;
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        lock (rented)
        {
            Assert.True(rented.Remove(array), $"an array of {array.Length} bytes was returned that was not rented here (or twice), hash {RuntimeHelpers.GetHashCode(array)}");
        }
    }
}
