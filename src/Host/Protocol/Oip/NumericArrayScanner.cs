using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Inference.Host.Buffers;

namespace Inference.Host.Protocol.Oip;

/// <summary>
/// The fast path for the commonest bulk payload, an FP32 or FP64 <c>data</c> array of plain numbers:
/// scans the bytes directly (no per-token reader state) and parses each number with the runtime's
/// exact decimal parser (DecimalNumberParser). When the array holds anything else (strings such as "NaN", objects,
/// malformed text) it gives up and the caller takes the general path, so results and errors are the same.
/// </summary>
internal static class NumericArrayScanner
{
    /// <summary>
    /// Parses the array starting at <paramref name="json"/>[0] (a '[') into <paramref name="pool"/>
    /// memory. On success returns the buffer, the element count and the array's length in bytes.
    /// </summary>
    public static PooledBuffer? TryParse<T>(ReadOnlySpan<byte> json, long capacityHint, PinnedBufferPool pool, out int count, out int length)
        where T : unmanaged
    {
        count = 0;
        length = 0;
        if (json.IsEmpty || json[0] != (byte)'[')
        {
            return null;
        }

        var elementSize = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var buffer = new PooledBuffer(pool, pool.Rent((int)Math.Max(1, Math.Min(capacityHint, (json.Length / 2) + 1)) * elementSize));
        var values = MemoryMarshal.Cast<byte, T>(buffer.Array.AsSpan());
        var n = 0;
        var depth = 0;
        var i = 0;
        var expectValue = true;
        while (i < json.Length)
        {
            var c = json[i];
            switch (c)
            {
                case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n':
                    i++;
                    continue;
                case (byte)'[':
                    if (!expectValue)
                    {
                        return GiveUp(buffer);
                    }

                    depth++;
                    i++;
                    continue;
                case (byte)']':
                    depth--;
                    i++;
                    expectValue = false;
                    if (depth == 0)
                    {
                        count = n;
                        length = i;
                        return buffer;
                    }

                    continue;
                case (byte)',':
                    if (expectValue)
                    {
                        return GiveUp(buffer);
                    }

                    expectValue = true;
                    i++;
                    continue;
            }

            if (!expectValue)
            {
                return GiveUp(buffer);
            }

            T value;
            int used;
            bool parsed;
            if (typeof(T) == typeof(float))
            {
                parsed = DecimalNumberParser.TryParseSingle(json[i..], out var f, out used);
                value = Unsafe.As<float, T>(ref f);
            }
            else
            {
                parsed = DecimalNumberParser.TryParseDouble(json[i..], out var d, out used);
                value = Unsafe.As<double, T>(ref d);
            }

            if (!parsed)
            {
                return GiveUp(buffer);
            }

            if (n == values.Length)
            {
                var bigger = new PooledBuffer(pool, pool.Rent(checked(values.Length * 2 * elementSize)));
                buffer.Array.AsSpan(0, n * elementSize).CopyTo(bigger.Array);
                buffer.Dispose();
                buffer = bigger;
                values = MemoryMarshal.Cast<byte, T>(buffer.Array.AsSpan());
            }

            values[n++] = value;
            i += used;
            expectValue = false;
        }

        return GiveUp(buffer);
    }

    private static PooledBuffer? GiveUp(PooledBuffer buffer)
    {
        buffer.Dispose();
        return null;
    }
}
