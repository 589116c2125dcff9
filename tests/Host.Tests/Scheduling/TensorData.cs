using System.Runtime.InteropServices;
using System.Text;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Scheduling;

/// <summary>A tensor a test sends or gets back: its type, shape, and raw little-endian bytes (or strings).</summary>
internal sealed record TensorData(string Name, TensorElementType Type, long[] Shape, byte[] Bytes, string[]? Strings = null)
{
    public static TensorData Floats(string name, long[] shape, params float[] values) =>
        new(name, TensorElementType.Float, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static TensorData Longs(string name, long[] shape, params long[] values) =>
        new(name, TensorElementType.Int64, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static TensorData Text(string name, long[] shape, params string[] values) =>
        new(name, TensorElementType.String, shape, [], values);

    /// <summary><paramref name="shape"/> filled with bytes from <paramref name="seed"/> (any bit pattern; bools 0 or 1).</summary>
    public static TensorData Random(string name, TensorElementType type, long[] shape, int seed)
    {
        var count = (int)TensorShape.ElementCount(shape);
        var random = new Random(seed);
        if (type == TensorElementType.String)
        {
            return Text(name, shape, Enumerable.Range(0, count).Select(i => $"s{seed}-{i}-" + new string('x', random.Next(0, 5))).ToArray());
        }

        var bytes = new byte[count * type.SizeInBytes()];
        random.NextBytes(bytes);
        if (type == TensorElementType.Bool)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] &= 1;
            }
        }

        return new TensorData(name, type, shape, bytes);
    }

    public float[] AsFloats() => MemoryMarshal.Cast<byte, float>(Bytes).ToArray();

    public long[] AsLongs() => MemoryMarshal.Cast<byte, long>(Bytes).ToArray();

    public OrtValue ToValue() => Type == TensorElementType.String
        ? OrtValue.CreateStringTensor(Shape, Strings!.Select(s => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(s)).ToArray())
        : OrtValue.CreateTensor<byte>(Type, Shape, Bytes.ToArray());

    /// <summary>Reads a value (type, shape, bytes or strings) and disposes it.</summary>
    public static TensorData Take(string name, OrtValue value)
    {
        using (value)
        {
            var type = value.GetTypeAndShape(out var shape);
            if (type == TensorElementType.String)
            {
                var content = value.GetStringContent();
                return new TensorData(name, type, shape, [], Enumerable.Range(0, content.Count).Select(i => Encoding.UTF8.GetString(content[i])).ToArray());
            }

            return new TensorData(name, type, shape, value.GetBytes().ToArray());
        }
    }

    /// <summary>Reads every value of a run's results and disposes them.</summary>
    public static TensorData[] TakeAll(OrtValue?[] values) =>
        values.Select((v, i) => Take($"#{i}", v!)).ToArray();

    /// <summary>The rows from <paramref name="start"/> to <paramref name="start"/> + <paramref name="rows"/> of this tensor.</summary>
    public TensorData Rows(long start, long rows)
    {
        var shape = (long[])Shape.Clone();
        shape[0] = rows;
        var perRow = (int)TensorShape.ElementCount(Shape.AsSpan(1));
        if (Strings is not null)
        {
            return this with { Shape = shape, Strings = Strings.Skip((int)start * perRow).Take((int)rows * perRow).ToArray() };
        }

        var rowBytes = perRow * Type.SizeInBytes();
        return this with { Shape = shape, Bytes = Bytes.AsSpan((int)start * rowBytes, (int)rows * rowBytes).ToArray() };
    }

    /// <summary>Asserts type, shape and content are exactly those of <paramref name="expected"/>.</summary>
    public void AssertSame(TensorData expected)
    {
        Assert.Equal(expected.Type, Type);
        Assert.Equal(expected.Shape, Shape);
        if (expected.Strings is not null)
        {
            Assert.Equal(expected.Strings, Strings);
        }
        else
        {
            Assert.Equal(expected.Bytes, Bytes);
        }
    }
}
