using System.Globalization;
using System.Text;
using System.Text.Json;
using Inference.Host.Protocol.Engine;
using Inference.Host.Protocol.Oip;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;
using Inference.Packaging.Manifest;

namespace Inference.Host.Engines;

/// <summary>
/// The ONNX-only plugin kind: the manifest's engine bindings say which parameter or request segment
/// feeds which model input, and which model output becomes which response segment. No plugin code.
/// </summary>
/// <remarks>
/// Inputs: a parameter becomes a one-element tensor of the model input's type (rank-0 inputs get a
/// scalar). A text segment feeding a BYTES input is one string element; any other segment is its raw
/// bytes read as the binding's datatype (or the model input's), with the one dynamic dimension of the
/// shape inferred from the length. Outputs: a BYTES output is its strings (joined by newlines) for
/// text encodings; <c>raw</c> gives the tensor's bytes; <c>json</c> (and any other encoding) gives
/// <c>{"shape": [...], "data": [...]}</c>.
/// </remarks>
public static class OnnxTensorMapping
{
    public static (int[] Indices, OrtValue[] Values) BuildInputs(InferenceSession session, EngineEntry engine, EngineRequest request)
    {
        var indices = new int[engine.Inputs.Count];
        var values = new OrtValue[engine.Inputs.Count];
        try
        {
            for (var i = 0; i < engine.Inputs.Count; i++)
            {
                var binding = engine.Inputs[i];
                var index = session.GetInputIndex(binding.Tensor);
                if (index < 0)
                {
                    throw new InvalidOperationException($"the model has no input '{binding.Tensor}' (engine.inputs[{i}]); its inputs: {string.Join(", ", session.Inputs.Select(t => t.Name))}");
                }

                indices[i] = index;
                var metadata = session.Inputs[index];
                values[i] = request.Parameters.TryGetValue(binding.Source, out var parameter) && !request.Payload.ContainsKey(binding.Source)
                    ? FromParameter(metadata, parameter, binding.Source)
                    : FromSegment(metadata, binding, request.Payload[binding.Source]);
            }

            return (indices, values);
        }
        catch
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }

            throw;
        }
    }

    public static EngineDataSegment Encode(TensorBinding binding, OrtValue output, DataSegment segment, string? requestedEncoding)
    {
        var encoding = requestedEncoding ?? segment.Encodings[0];
        var type = output.GetTypeAndShape(out var shape);
        if (type == TensorElementType.String && encoding != "json")
        {
            var strings = output.GetStringContent();
            var lines = Enumerable.Range(0, strings.Count).Select(i => Encoding.UTF8.GetString(strings[i]));
            return new EngineDataSegment(binding.Source, encoding, EngineRequestReader.StatusOnce, Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        }

        if (encoding == "raw" && type != TensorElementType.String)
        {
            return new EngineDataSegment(binding.Source, encoding, EngineRequestReader.StatusOnce, output.GetBytes().ToArray());
        }

        // The data array comes from the OIP encoder, so both protocols print tensors the same way.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("shape");
            foreach (var d in shape)
            {
                json.WriteNumberValue(d);
            }

            json.WriteEndArray();
            json.WritePropertyName("data");
            InferResponseWriter.WriteData(json, new OutputTensor(binding.Tensor, output, binary: false));
            json.WriteEndObject();
        }

        return new EngineDataSegment(binding.Source, encoding, EngineRequestReader.StatusOnce, buffer.WrittenSpan.ToArray());
    }

    private static OrtValue FromParameter(TensorMetadata input, object? value, string source)
    {
        long[] shape = input.Shape.Count == 0 ? [] : Enumerable.Repeat(1L, input.Shape.Count).ToArray();
        if (input.ElementType == TensorElementType.String)
        {
            var text = value switch
            {
                DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
            };
            return OrtValue.CreateStringTensor(shape, [Encoding.UTF8.GetBytes(text)]);
        }

        byte[] bytes = input.ElementType switch
        {
            TensorElementType.Float => BitConverter.GetBytes(Convert.ToSingle(value, CultureInfo.InvariantCulture)),
            TensorElementType.Double => BitConverter.GetBytes(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            TensorElementType.Int64 => BitConverter.GetBytes(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
            TensorElementType.Int32 => BitConverter.GetBytes(Convert.ToInt32(value, CultureInfo.InvariantCulture)),
            TensorElementType.Bool => [Convert.ToBoolean(value, CultureInfo.InvariantCulture) ? (byte)1 : (byte)0],
            _ => throw new InvalidOperationException($"parameter '{source}' cannot feed a {OipDataType.ToName(input.ElementType)} input ('{input.Name}'); use FP32, FP64, INT64, INT32, BOOL or BYTES"),
        };
        return OrtValue.CreateTensor<byte>(input.ElementType, shape, bytes);
    }

    private static OrtValue FromSegment(TensorMetadata input, TensorBinding binding, EngineDataSegment segment)
    {
        var type = input.ElementType;
        if (binding.DataType is { } declared && (!OipDataType.TryParse(Encoding.ASCII.GetBytes(declared), out var parsed) || parsed != type))
        {
            throw new InvalidOperationException($"segment '{binding.Source}' is declared {declared} but model input '{input.Name}' is {OipDataType.ToName(type)}");
        }

        var template = binding.Shape ?? input.Shape;
        if (type == TensorElementType.String)
        {
            long[] shape = template.Count == 0 ? [] : Enumerable.Repeat(1L, template.Count).ToArray();
            return OrtValue.CreateStringTensor(shape, [segment.Data]);
        }

        var size = type.SizeInBytes();
        if (segment.Data.Length % size != 0)
        {
            throw new EngineInputException($"segment '{binding.Source}' has {segment.Data.Length} bytes, not a whole number of {OipDataType.ToName(type)} elements");
        }

        var count = segment.Data.Length / size;
        var dims = template.ToArray();
        var known = dims.Where(d => d >= 0).Aggregate(1L, (a, b) => a * b);
        var dynamic = Array.FindAll(Enumerable.Range(0, dims.Length).ToArray(), d => dims[d] < 0);
        if (dynamic.Length > 1)
        {
            // All but the last dynamic dimension are 1 (a batch of one).
            foreach (var d in dynamic[..^1])
            {
                dims[d] = 1;
            }
        }

        if (dynamic.Length > 0)
        {
            if (known == 0 || count % known != 0)
            {
                throw new EngineInputException($"segment '{binding.Source}' holds {count} elements, which do not fill shape {TensorShape.Format(template.ToArray())}");
            }

            dims[dynamic[^1]] = count / known;
        }
        else if (known != count)
        {
            throw new EngineInputException($"segment '{binding.Source}' holds {count} elements but shape {TensorShape.Format(dims)} needs {known}");
        }

        // A copy into an aligned array: segments are small next to the model's work, and this keeps ORT off unaligned data.
        var copy = GC.AllocateUninitializedArray<byte>(segment.Data.Length, pinned: true);
        segment.Data.Span.CopyTo(copy);
        return OrtValue.CreateTensor<byte>(type, dims, copy);
    }
}
