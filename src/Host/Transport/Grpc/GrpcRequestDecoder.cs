using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using Inference.Host.Buffers;
using Inference.Host.Errors;
using Inference.Host.Protocol.Grpc;
using Inference.Host.Protocol.Oip;
using Inference.Onnx.Tensors;
using static Inference.Host.Protocol.Grpc.ModelInferRequest.Types;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// A <c>ModelInferRequest</c> as our <see cref="InferRequest"/>, so that binding, admission and the run
/// are those of the HTTP path. Fixed-size inputs are copied into pooled pinned buffers (protobuf's
/// byte strings are not pinned, and ORT reads the buffer in place); BYTES elements stay slices of the
/// message. Every problem is INVALID_ARGUMENT naming the input.
/// </summary>
/// <remarks>
/// Outputs come back as the inputs came, unless the client says otherwise: raw contents for a request
/// that sent <c>raw_input_contents</c>, typed contents for one that sent typed <c>contents</c>; the request
/// parameter <c>binary_data_output</c> (and an output's <c>binary_data</c>) asks for raw explicitly.
/// </remarks>
internal static class GrpcRequestDecoder
{
    private const int StackShapeRank = 16;

    public static InferRequest Decode(ModelInferRequest message, PinnedBufferPool pool)
    {
        var request = InferRequest.Rent();
        try
        {
            request.Id = message.Id.Length > 0 ? message.Id : null;
            var parameters = request.StartParameters();
            foreach (var (key, value) in message.Parameters)
            {
                parameters[key] = GrpcParameters.ToValue(value);
            }

            var raw = message.RawInputContents;
            if (raw.Count > 0 && raw.Count != message.Inputs.Count)
            {
                throw Invalid($"raw_input_contents has {raw.Count} entries but the request has {message.Inputs.Count} inputs; send one per input, in the order of inputs (or none, with typed contents)");
            }

            for (var i = 0; i < message.Inputs.Count; i++)
            {
                DecodeInput(message.Inputs[i], i, raw.Count > 0 ? raw[i] : null, request, pool);
            }

            if (message.Outputs.Count > 0)
            {
                request.StartOutputs();
                for (var i = 0; i < message.Outputs.Count; i++)
                {
                    var output = message.Outputs[i];
                    if (output.Name.Length == 0)
                    {
                        throw Invalid($"output {i} has no name");
                    }

                    request.AddOutput(output.Name, GrpcParameters.Bool(output.Parameters, "binary_data", $"output '{output.Name}'"));
                }
            }

            request.BinaryDataOutput = GrpcParameters.Bool(message.Parameters, "binary_data_output", "request") ?? raw.Count > 0;
            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private static void DecodeInput(InferInputTensor tensor, int index, ByteString? raw, InferRequest request, PinnedBufferPool pool)
    {
        var name = tensor.Name;
        if (name.Length == 0)
        {
            throw Invalid($"input {index} has no name");
        }

        if (!TryParseDatatype(tensor.Datatype, out var type))
        {
            throw Invalid($"input '{name}': datatype '{tensor.Datatype}' is not one of {OipDataType.Supported}");
        }

        var input = request.NextInput();
        var shape = ReadShape(tensor, input);
        var count = TensorShape.ElementCount(shape);
        if (count < 0 || count > int.MaxValue)
        {
            throw Invalid($"input '{name}': shape {TensorShape.Format(shape)} is too large");
        }

        if (raw is not null)
        {
            if (tensor.Contents is { } contents && TypedContentsDecoder.ElementsIn(contents) > 0)
            {
                throw Invalid($"input '{name}' has typed contents and the request has raw_input_contents; when raw contents are used, every input's contents must be empty");
            }

            DecodeRaw(input, name, type, shape, (int)count, raw, pool);
        }
        else if (tensor.Contents is { } contents)
        {
            TypedContentsDecoder.Decode(input, name, type, shape, (int)count, contents, pool);
        }
        else if (count == 0)
        {
            // An empty tensor needs no data either way.
            TypedContentsDecoder.Decode(input, name, type, shape, 0, new InferTensorContents(), pool);
        }
        else
        {
            throw Invalid($"input '{name}' has no contents and the request has no raw_input_contents");
        }

        request.AddInput(input);
    }

    private static void DecodeRaw(InferInput input, string name, TensorElementType type, long[] shape, int count, ByteString raw, PinnedBufferPool pool)
    {
        if (type == TensorElementType.String)
        {
            input.SetStrings(name, type, shape, SplitStrings(name, shape, count, raw.Memory));
            return;
        }

        var expected = (long)count * type.SizeInBytes();
        if (raw.Length != expected)
        {
            throw Invalid($"input '{name}': shape {TensorShape.Format(shape)} of {OipDataType.ToName(type)} needs {expected} bytes but its raw_input_contents has {raw.Length}");
        }

        var buffer = new PooledBuffer(pool, pool.Rent(Math.Max(raw.Length, 1)));
        raw.Span.CopyTo(buffer.Array);
        input.SetFixed(name, type, shape, buffer.Array, 0, raw.Length, buffer);
    }

    /// <summary>Raw BYTES: each element a 4-byte little-endian length, then its bytes (as Triton sends them).</summary>
    private static List<ReadOnlyMemory<byte>> SplitStrings(string name, long[] shape, int count, ReadOnlyMemory<byte> raw)
    {
        var strings = new List<ReadOnlyMemory<byte>>(Math.Min(count, 1 << 16));
        var position = 0;
        var span = raw.Span;
        while (position < span.Length)
        {
            if (span.Length - position < 4)
            {
                throw Invalid($"input '{name}': BYTES element {strings.Count} is cut off in its 4-byte length prefix");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(span[position..]);
            position += 4;
            if (length > (uint)(span.Length - position))
            {
                throw Invalid($"input '{name}': BYTES element {strings.Count} says {length} bytes but only {span.Length - position} remain");
            }

            strings.Add(raw.Slice(position, (int)length));
            position += (int)length;
        }

        if (strings.Count != count)
        {
            throw Invalid($"input '{name}': shape {TensorShape.Format(shape)} needs {count} elements but its raw_input_contents holds {strings.Count}");
        }

        return strings;
    }

    private static long[] ReadShape(InferInputTensor tensor, InferInput input)
    {
        var dims = tensor.Shape;
        Span<long> shape = dims.Count <= StackShapeRank ? stackalloc long[dims.Count] : new long[dims.Count];
        for (var d = 0; d < dims.Count; d++)
        {
            if (dims[d] < 0)
            {
                throw Invalid($"input '{tensor.Name}': shape dimension {d} is {dims[d]}; dimensions are non-negative");
            }

            shape[d] = dims[d];
        }

        return input.ShapeOf(shape);
    }

    private static bool TryParseDatatype(string datatype, out TensorElementType type)
    {
        Span<byte> ascii = stackalloc byte[8];
        if (datatype.Length > ascii.Length || !Ascii.IsValid(datatype))
        {
            type = TensorElementType.Undefined;
            return false;
        }

        var length = Encoding.ASCII.GetBytes(datatype, ascii);
        return OipDataType.TryParse(ascii[..length], out type);
    }

    private static InferenceException Invalid(string message) => new(InferenceError.Invalid(message));
}
