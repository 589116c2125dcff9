using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Inference.Host.Buffers;
using Inference.Host.Errors;
using Inference.Host.Protocol.Oip;
using Inference.Host.Tests.Buffers;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Protocol.Oip;

public sealed class JsonTensorDecoderTests
{
    [Fact]
    public void UnknownCountGrowsAndGivesTheOutgrownBuffersBack()
    {
        // Without a count the decoder starts at 1024 elements (4 KiB of INT32) and doubles.
        var probe = new PoolProbe(count: 1);
        var values = Enumerable.Range(1, 5000).ToArray();
        var json = Encoding.UTF8.GetBytes("[" + string.Join(",", values) + "]");
        var reader = new Utf8JsonReader(json);
        Assert.True(reader.Read());

        using var buffer = JsonTensorDecoder.DecodeFixed(ref reader, TensorElementType.Int32, -1, "x", probe.Pool, out var count);

        Assert.Equal(5000, count);
        Assert.Equal(values, MemoryMarshal.Cast<byte, int>(buffer.Array.AsSpan(0, 5000 * 4)).ToArray());
        Assert.True(probe.WasFilledWith(TestBody.Bytes(1, 2, 3)), "the first buffer did not come from the pool");
        probe.AssertAllReturned();
    }

    [Fact]
    public void KnownCountRentsOnlyWhatTheShapeNeeds()
    {
        var pool = new PinnedBufferPool();
        var reader = new Utf8JsonReader("[1,2,3]"u8);
        Assert.True(reader.Read());

        using var buffer = JsonTensorDecoder.DecodeFixed(ref reader, TensorElementType.Double, 3, "x", pool, out var count);

        Assert.Equal(3, count);
        Assert.Equal(4096, buffer.Array.Length);
        Assert.Equal(TestBody.Bytes(1.0, 2.0, 3.0), buffer.Array.AsSpan(0, 24).ToArray());
    }

    [Fact]
    public void LeavesTheReaderOnTheLastTokenOfTheData()
    {
        var reader = new Utf8JsonReader("""{"data":[[1,2],[3]],"next":5}"""u8);
        Assert.True(reader.Read());
        Assert.True(reader.Read());
        Assert.True(reader.Read());

        using var buffer = JsonTensorDecoder.DecodeFixed(ref reader, TensorElementType.Int16, -1, "x", new PinnedBufferPool(), out var count);

        Assert.Equal(3, count);
        Assert.Equal(JsonTokenType.EndArray, reader.TokenType);
        Assert.True(reader.Read());
        Assert.True(reader.ValueTextEquals("next"u8));
    }

    [Fact]
    public void ScalarIsOneElement()
    {
        var reader = new Utf8JsonReader("-7"u8);
        Assert.True(reader.Read());

        using var buffer = JsonTensorDecoder.DecodeFixed(ref reader, TensorElementType.Int8, 1, "x", new PinnedBufferPool(), out var count);

        Assert.Equal(1, count);
        Assert.Equal(unchecked((byte)-7), buffer.Array[0]);
    }

    [Fact]
    public void BadElementNamesInputIndexTokenAndTypeAndGivesTheBufferBack()
    {
        var probe = new PoolProbe(count: 1);
        var reader = new Utf8JsonReader("""[[1,2],[3,{"a":1}]]"""u8);
        Assert.True(reader.Read());

        InferenceException? error = null;
        try
        {
            JsonTensorDecoder.DecodeFixed(ref reader, TensorElementType.UInt32, 4, "in0", probe.Pool, out _).Dispose();
        }
        catch (InferenceException e)
        {
            error = e;
        }

        Assert.NotNull(error);
        Assert.Equal(ErrorKind.InvalidRequest, error.Error.Kind);
        Assert.Equal("input 'in0': data element 3 (an object) is not a valid UINT32 value", error.Message);
        Assert.True(probe.WasFilledWith(TestBody.Bytes(1u, 2u, 3u)));
        probe.AssertAllReturned();
    }

    [Fact]
    public void BytesIsNotANumericType()
    {
        var reader = new Utf8JsonReader("[1]"u8);
        Assert.True(reader.Read());

        InferenceException? error = null;
        try
        {
            JsonTensorDecoder.DecodeFixed(ref reader, TensorElementType.String, 1, "s", new PinnedBufferPool(), out _).Dispose();
        }
        catch (InferenceException e)
        {
            error = e;
        }

        Assert.NotNull(error);
        Assert.Equal(ErrorKind.InvalidRequest, error.Error.Kind);
        Assert.Contains("'s'", error.Message, StringComparison.Ordinal);
        Assert.Contains("BYTES", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StringsPointIntoTheBodyAtTheJsonOffset()
    {
        var body = Encoding.UTF8.GetBytes("xxxxx[[\"ab\",\"c\\u0064\"],[\"\",\"é\"]]yyy");
        const int Offset = 5;
        var reader = new Utf8JsonReader(body.AsSpan(Offset, body.Length - Offset - 3));
        Assert.True(reader.Read());

        var strings = JsonTensorDecoder.DecodeStrings(ref reader, body, Offset, "s");

        Assert.Equal(JsonTokenType.EndArray, reader.TokenType);
        Assert.Equal(4, strings.Count);
        Assert.Equal("ab"u8.ToArray(), strings[0].ToArray());
        Assert.Equal("cd"u8.ToArray(), strings[1].ToArray());
        Assert.Empty(strings[2].ToArray());
        Assert.Equal("é"u8.ToArray(), strings[3].ToArray());
        Assert.True(MemoryMarshal.TryGetArray(strings[0], out var ab));
        Assert.Same(body, ab.Array);
        Assert.Equal(8, ab.Offset);
        Assert.True(MemoryMarshal.TryGetArray(strings[1], out var cd));
        Assert.NotSame(body, cd.Array);
    }

    [Fact]
    public void NonStringElementOfBytesNamesInputAndIndex()
    {
        var body = """["a",2]"""u8.ToArray();
        var reader = new Utf8JsonReader(body);
        Assert.True(reader.Read());

        InferenceException? error = null;
        try
        {
            JsonTensorDecoder.DecodeStrings(ref reader, body, 0, "s");
        }
        catch (InferenceException e)
        {
            error = e;
        }

        Assert.NotNull(error);
        Assert.Equal("input 's': data element 1 (2) is not a valid BYTES value", error.Message);
    }
}
