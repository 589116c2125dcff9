using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Inference.Host.Buffers;
using Inference.Host.Errors;
using Inference.Onnx.Tensors;

namespace Inference.Host.Protocol.Oip;

/// <summary>
/// Reads an OIP infer request: the JSON header and, with the binary tensor data extension, the raw
/// tensor bytes after it. JSON data is decoded into pooled pinned buffers; binary inputs are left
/// where they are in the body (which is itself a pinned buffer), so ORT reads them in place.
/// </summary>
/// <remarks>
/// The request comes from a pool with its input objects, lists and dictionaries, names are taken
/// from the strings read before, and messages are formatted only when thrown: a binary request like
/// the one before it decodes without allocating.
/// </remarks>
public static class InferRequestReader
{
    private const int StackShapeRank = 16;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    /// <summary>
    /// Decodes the request in <paramref name="body"/>: JSON at [<paramref name="jsonOffset"/>,
    /// +<paramref name="jsonLength"/>), then <paramref name="binaryLength"/> bytes of binary data.
    /// </summary>
    public static InferRequest Read(byte[] body, int jsonOffset, int jsonLength, int binaryLength, PinnedBufferPool pool) =>
        Read(body, jsonOffset, jsonLength, binaryLength, pool, null);

    /// <summary>As <see cref="Read(byte[], int, int, int, PinnedBufferPool)"/>, with the request taken from <paramref name="requests"/> (tests).</summary>
    internal static InferRequest Read(byte[] body, int jsonOffset, int jsonLength, int binaryLength, PinnedBufferPool pool, ReusePool<InferRequest>? requests)
    {
        var request = InferRequest.Rent(requests);
        try
        {
            var state = new ParseState(body, jsonOffset, jsonOffset + jsonLength, binaryLength, pool, request);
            var reader = new Utf8JsonReader(body.AsSpan(jsonOffset, jsonLength), Options);
            ReadRequest(ref reader, ref state);
            if (state.BinaryConsumed != binaryLength)
            {
                throw Invalid($"the body holds {binaryLength} bytes of binary data after the JSON header but the inputs' binary_data_size add up to {state.BinaryConsumed}");
            }

            return request;
        }
        catch (JsonException e)
        {
            request.Dispose();
            throw Invalid($"malformed JSON in request header (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of that line): {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader's string reads throw this for invalid UTF-8 or a lone surrogate escape.
            request.Dispose();
            throw Invalid($"malformed string in request header: {e.Message}");
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private static void ReadRequest(ref Utf8JsonReader reader, ref ParseState state)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw Invalid("the request must be a JSON object");
        }

        string? id = null;
        Dictionary<string, object?>? parameters = null;
        var sawInputs = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw Invalid("'id' must be a string");
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                reader.Read();
                parameters = ReadParameters(ref reader, state.Request.StartParameters(), ref state, ParameterOwner.Request);
            }
            else if (reader.ValueTextEquals("inputs"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw Invalid("'inputs' must be an array");
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    ReadInput(ref reader, ref state);
                }

                sawInputs = true;
            }
            else if (reader.ValueTextEquals("outputs"u8))
            {
                reader.Read();
                ReadOutputs(ref reader, ref state);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.Read())
        {
            throw Invalid("unexpected content after the request's JSON object");
        }

        if (!sawInputs)
        {
            throw Invalid("the request has no 'inputs'");
        }

        CheckParameters(parameters, ParameterOwner.Request);
        state.Request.Id = id;
        state.Request.BinaryDataOutput = parameters is not null && parameters.TryGetValue("binary_data_output", out var b) && b is true;
    }

    private static void ReadInput(ref Utf8JsonReader reader, ref ParseState state)
    {
        var index = state.Request.Inputs.Count;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Invalid($"input {index} must be a JSON object");
        }

        var input = state.Request.NextInput();
        string? name = null;
        var type = TensorElementType.Undefined;
        long[]? shape = null;
        long? binarySize = null;
        PooledBuffer? decoded = null;
        var decodedCount = 0;
        List<ReadOnlyMemory<byte>>? strings = null;
        (int Start, int Length)? deferredData = null;
        Dictionary<string, object?>? inputParameters = null;
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    reader.Read();
                    name = reader.TokenType == JsonTokenType.String ? state.Request.Names.Get(ref reader) : throw Invalid($"input {index}: 'name' must be a string");
                }
                else if (reader.ValueTextEquals("datatype"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String || !OipDataType.TryParse(reader.ValueSpan, out type))
                    {
                        throw Invalid($"input '{name ?? index.ToString(CultureInfo.InvariantCulture)}': datatype {Token(ref reader)} is not one of {OipDataType.Supported}");
                    }
                }
                else if (reader.ValueTextEquals("shape"u8))
                {
                    reader.Read();
                    shape = ReadShape(ref reader, input, name, index);
                }
                else if (reader.ValueTextEquals("parameters"u8))
                {
                    reader.Read();
                    inputParameters = ReadParameters(ref reader, StartTensorParameters(ref state), ref state, ParameterOwner.Input(name, index));
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    if (decoded is null && strings is null && deferredData is null && type is TensorElementType.Float or TensorElementType.Double
                        && TryFastFloats(ref state, (int)reader.BytesConsumed, type, shape, out decoded, out decodedCount))
                    {
                        // The array's bytes are now a blank string literal: the reader steps over it in one scan.
                        reader.Read();
                        continue;
                    }

                    reader.Read();
                    var inputName = name ?? index.ToString(CultureInfo.InvariantCulture);
                    if (decoded is not null || strings is not null || deferredData is not null)
                    {
                        throw Invalid($"input '{inputName}' has 'data' more than once");
                    }

                    // No more elements than there are bytes left to write them in: a huge shape with
                    // tiny data must not size a huge buffer.
                    var available = state.JsonEnd - state.JsonOffset - (int)reader.TokenStartIndex;
                    if (type == TensorElementType.Undefined)
                    {
                        // Datatype comes later in this object: remember where the data is, decode at the end.
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        deferredData = (start, (int)reader.BytesConsumed - start);
                    }
                    else if (type == TensorElementType.String)
                    {
                        strings = JsonTensorDecoder.DecodeStrings(ref reader, state.Body, state.JsonOffset, inputName);
                    }
                    else
                    {
                        var expected = shape is null ? -1 : Math.Min(TensorShape.ElementCount(shape), (available / 2) + 1);
                        decoded = JsonTensorDecoder.DecodeFixed(ref reader, type, expected, inputName, state.Pool, out decodedCount);
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (name is null)
            {
                throw Invalid($"input {index} has no 'name'");
            }

            if (type == TensorElementType.Undefined)
            {
                throw Invalid($"input '{name}' has no 'datatype'");
            }

            if (shape is null)
            {
                throw Invalid($"input '{name}' has no 'shape'");
            }

            CheckParameters(inputParameters, ParameterOwner.Input(name, index));
            if (inputParameters is not null && inputParameters.TryGetValue("binary_data_size", out var sizeValue))
            {
                binarySize = sizeValue is long l && l >= 0 ? l : throw Invalid($"input '{name}': binary_data_size must be a non-negative integer");
            }

            var count = TensorShape.ElementCount(shape);
            if (count < 0 || count > int.MaxValue)
            {
                throw Invalid($"input '{name}': shape {TensorShape.Format(shape)} is too large");
            }

            if (deferredData is { } range)
            {
                var deferredReader = new Utf8JsonReader(state.Body.AsSpan(state.JsonOffset + range.Start, range.Length), Options);
                deferredReader.Read();
                if (type == TensorElementType.String)
                {
                    strings = JsonTensorDecoder.DecodeStrings(ref deferredReader, state.Body, state.JsonOffset + range.Start, name);
                }
                else
                {
                    decoded = JsonTensorDecoder.DecodeFixed(ref deferredReader, type, Math.Min(count, (range.Length / 2) + 1), name, state.Pool, out decodedCount);
                }
            }

            var hasJsonData = decoded is not null || strings is not null;
            if (binarySize is { } size)
            {
                if (hasJsonData)
                {
                    throw Invalid($"input '{name}' has both 'data' and binary_data_size; send one or the other");
                }

                ReadBinary(ref state, input, name, type, shape, count, size);
                return;
            }

            if (!hasJsonData)
            {
                throw Invalid($"input '{name}' has no 'data' and no binary_data_size parameter");
            }

            if (strings is not null)
            {
                if (strings.Count != count)
                {
                    throw Invalid($"input '{name}': shape {TensorShape.Format(shape)} needs {count} elements but 'data' has {strings.Count}");
                }

                input.SetStrings(name, type, shape, strings);
                state.Request.AddInput(input);
                return;
            }

            if (decodedCount != count)
            {
                throw Invalid($"input '{name}': shape {TensorShape.Format(shape)} needs {count} elements but 'data' has {decodedCount}");
            }

            input.SetFixed(name, type, shape, decoded!.Array, 0, decodedCount * type.SizeInBytes(), decoded);
            decoded = null;
            state.Request.AddInput(input);
        }
        finally
        {
            decoded?.Dispose();
        }
    }

    /// <summary>
    /// Decodes an FP32/FP64 array with <see cref="NumericArrayScanner"/>, then overwrites the array's
    /// bytes in the body with a string literal of the same length (the numbers are in the buffer now),
    /// so the JSON reader does not tokenize them a second time. Only the reader's own body is changed.
    /// </summary>
    private static bool TryFastFloats(ref ParseState state, int consumed, TensorElementType type, long[]? shape, out PooledBuffer? decoded, out int count)
    {
        decoded = null;
        count = 0;
        var body = state.Body;
        var p = state.JsonOffset + consumed;
        var end = state.JsonEnd;
        while (p < end && body[p] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)':')
        {
            p++;
        }

        if (p >= end || body[p] != (byte)'[')
        {
            return false;
        }

        var hint = shape is null ? 1024 : TensorShape.ElementCount(shape);
        var span = body.AsSpan(p, end - p);
        int length;
        decoded = type == TensorElementType.Float
            ? NumericArrayScanner.TryParse<float>(span, hint, state.Pool, out count, out length)
            : NumericArrayScanner.TryParse<double>(span, hint, state.Pool, out count, out length);
        if (decoded is null)
        {
            return false;
        }

        var literal = body.AsSpan(p, length);
        literal.Fill((byte)' ');
        literal[0] = (byte)'"';
        literal[^1] = (byte)'"';
        return true;
    }

    private static void ReadBinary(ref ParseState state, InferInput input, string name, TensorElementType type, long[] shape, long count, long size)
    {
        var available = state.BinaryLength - state.BinaryConsumed;
        if (size > available)
        {
            throw Invalid($"input '{name}': binary_data_size is {size} but only {available} bytes of binary data remain in the body");
        }

        var offset = state.BinaryStart + state.BinaryConsumed;
        state.BinaryConsumed += (int)size;
        if (type != TensorElementType.String)
        {
            var expected = count * type.SizeInBytes();
            if (size != expected)
            {
                throw Invalid($"input '{name}': shape {TensorShape.Format(shape)} of {OipDataType.ToName(type)} needs {expected} bytes but binary_data_size is {size}");
            }

            input.SetFixed(name, type, shape, state.Body, offset, (int)size, null);
            state.Request.AddInput(input);
            return;
        }

        // BYTES in binary form: each element is a 4-byte little-endian length, then its bytes.
        var strings = new List<ReadOnlyMemory<byte>>((int)Math.Min(count, 1 << 16));
        var span = state.Body.AsSpan(offset, (int)size);
        var position = 0;
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

            strings.Add(state.Body.AsMemory(offset + position, (int)length));
            position += (int)length;
        }

        if (strings.Count != count)
        {
            throw Invalid($"input '{name}': shape {TensorShape.Format(shape)} needs {count} elements but the binary data holds {strings.Count}");
        }

        input.SetStrings(name, type, shape, strings);
        state.Request.AddInput(input);
    }

    /// <summary>Reads the dimensions on the stack, then into the input's own shape array (reused when the rank repeats).</summary>
    private static long[] ReadShape(ref Utf8JsonReader reader, InferInput input, string? name, int index)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Invalid($"input '{name ?? index.ToString(CultureInfo.InvariantCulture)}': 'shape' must be an array of integers");
        }

        Span<long> dims = stackalloc long[StackShapeRank];
        List<long>? more = null;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var d) || d < 0)
            {
                throw Invalid($"input '{name ?? index.ToString(CultureInfo.InvariantCulture)}': shape dimension {count} ({Token(ref reader)}) must be a non-negative integer");
            }

            if (count < dims.Length)
            {
                dims[count] = d;
            }
            else
            {
                more ??= [.. dims];
                more.Add(d);
            }

            count++;
        }

        return input.ShapeOf(more is null ? dims[..count] : CollectionsMarshal.AsSpan(more));
    }

    private static void ReadOutputs(ref Utf8JsonReader reader, ref ParseState state)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Invalid("'outputs' must be an array");
        }

        var request = state.Request;
        request.StartOutputs();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var index = request.Outputs!.Count;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid($"output {index} must be a JSON object");
            }

            string? name = null;
            bool? binary = null;
            Dictionary<string, object?>? outputParameters = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    reader.Read();
                    name = reader.TokenType == JsonTokenType.String ? request.Names.Get(ref reader) : throw Invalid($"output {index}: 'name' must be a string");
                }
                else if (reader.ValueTextEquals("parameters"u8))
                {
                    reader.Read();
                    outputParameters = ReadParameters(ref reader, StartTensorParameters(ref state), ref state, ParameterOwner.Output(name, index));
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (name is null)
            {
                throw Invalid($"output {index} has no 'name'");
            }

            CheckParameters(outputParameters, ParameterOwner.Output(name, index));
            if (outputParameters is not null && outputParameters.TryGetValue("binary_data", out var b))
            {
                binary = b as bool? ?? throw Invalid($"output '{name}': binary_data must be true or false");
            }

            request.AddOutput(name, binary);
        }
    }

    /// <summary>The request's scratch dictionary for one tensor's parameters, emptied.</summary>
    private static Dictionary<string, object?> StartTensorParameters(ref ParseState state)
    {
        var parameters = state.Request.TensorParameters;
        parameters.Clear();
        return parameters;
    }

    /// <summary>
    /// Reads a parameters object. A value that is not a boolean, number or string is kept as
    /// <see cref="Unsupported"/> so that the caller, once it knows the tensor's name, can report it.
    /// </summary>
    private static Dictionary<string, object?> ReadParameters(ref Utf8JsonReader reader, Dictionary<string, object?> parameters, ref ParseState state, ParameterOwner owner)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Invalid($"{owner}: 'parameters' must be a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = state.Request.Names.Get(ref reader);
            reader.Read();
            parameters[key] = reader.TokenType switch
            {
                JsonTokenType.True => BoxCache.Of(true),
                JsonTokenType.False => BoxCache.Of(false),
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number when reader.TryGetInt64(out var l) => state.Request.Boxes.Of(l),
                JsonTokenType.Number => reader.GetDouble(),
                JsonTokenType.Null => null,
                _ => SkipUnsupported(ref reader),
            };
        }

        return parameters;
    }

    private static object SkipUnsupported(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return Unsupported;
    }

    /// <summary>Throws for the first parameter whose value <see cref="ReadParameters"/> could not take.</summary>
    private static void CheckParameters(Dictionary<string, object?>? parameters, ParameterOwner owner)
    {
        if (parameters is null)
        {
            return;
        }

        foreach (var (key, value) in parameters)
        {
            if (ReferenceEquals(value, Unsupported))
            {
                throw Invalid($"{owner}: parameter '{key}' must be a boolean, number or string");
            }
        }
    }

    private static readonly object Unsupported = new();

    private static string Token(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => "\"" + reader.GetString() + "\"",
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        _ => reader.TokenType.ToString(),
    };

    private static InferenceException Invalid(string message) => new(InferenceError.Invalid(message));

    /// <summary>Where the parse is in the body; passed by ref through the recursive descent.</summary>
    private struct ParseState(byte[] body, int jsonOffset, int binaryStart, int binaryLength, PinnedBufferPool pool, InferRequest request)
    {
        public readonly byte[] Body = body;
        public readonly int JsonOffset = jsonOffset;

        /// <summary>End of the JSON header, which is where the binary section starts.</summary>
        public readonly int JsonEnd = binaryStart;
        public readonly int BinaryStart = binaryStart;
        public readonly int BinaryLength = binaryLength;
        public readonly PinnedBufferPool Pool = pool;
        public readonly InferRequest Request = request;
        public int BinaryConsumed;
    }
}
