using System.Text.Json;
using Inference.Host.Errors;
using Inference.Host.Protocol.Oip;
using Inference.Onnx.Runtime;

namespace Inference.Host.Protocol.Generate;

/// <summary>
/// Triton's generate extension, request side: a JSON object whose keys are the model's input names
/// (plus optional <c>id</c> and <c>parameters</c>) and whose values are scalars or (nested) arrays,
/// turned into an Open Inference Protocol JSON request for the same model. The datatype comes from
/// the model; the shape from the value's nesting, with leading 1s added up to the input's rank
/// (a scalar for a [1] input, a row for a [batch, n] input), so the infer path checks the rest.
/// </summary>
public static class GenerateRequestTranslator
{
    public static byte[] ToInferRequest(ReadOnlySpan<byte> body, IReadOnlyList<TensorMetadata> modelInputs)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new InferenceException(InferenceError.Invalid($"the generate request is not valid JSON: {e.Message}"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InferenceException(InferenceError.Invalid("the generate request must be a JSON object of input names and values"));
            }

            using var output = new MemoryStream();
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                if (root.TryGetProperty("id", out var id))
                {
                    writer.WritePropertyName("id");
                    id.WriteTo(writer);
                }

                if (root.TryGetProperty("parameters", out var parameters))
                {
                    writer.WritePropertyName("parameters");
                    parameters.WriteTo(writer);
                }

                writer.WriteStartArray("inputs");
                foreach (var property in root.EnumerateObject())
                {
                    if (property.Name is "id" or "parameters")
                    {
                        continue;
                    }

                    WriteInput(writer, property, Find(modelInputs, property.Name));
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            return output.ToArray();
        }
    }

    private static TensorMetadata Find(IReadOnlyList<TensorMetadata> inputs, string name)
    {
        foreach (var input in inputs)
        {
            if (input.Name == name)
            {
                return input;
            }
        }

        throw new InferenceException(InferenceError.Invalid(
            $"'{name}' is not an input of the model; its inputs: {string.Join(", ", inputs.Select(i => i.Name))} (and 'id', 'parameters')"));
    }

    private static void WriteInput(Utf8JsonWriter writer, JsonProperty property, TensorMetadata input)
    {
        var shape = new List<long>();
        MeasureShape(property.Value, shape, input.Name);
        while (shape.Count < input.Shape.Count)
        {
            shape.Insert(0, 1);
        }

        if (shape.Count > input.Shape.Count)
        {
            throw new InferenceException(InferenceError.Invalid(
                $"input '{input.Name}': the value has {shape.Count} dimensions but the input has {input.Shape.Count} ([{string.Join(", ", input.Shape)}])"));
        }

        writer.WriteStartObject();
        writer.WriteString("name", input.Name);
        writer.WriteStartArray("shape");
        shape.ForEach(writer.WriteNumberValue);
        writer.WriteEndArray();
        writer.WriteString("datatype", OipDataType.ToName(input.ElementType));
        writer.WriteStartArray("data");
        WriteFlat(writer, property.Value);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The shape of a (nested) array: the length at each level; arrays at one level must agree.</summary>
    private static void MeasureShape(JsonElement value, List<long> shape, string name)
    {
        var current = value;
        while (current.ValueKind == JsonValueKind.Array)
        {
            shape.Add(current.GetArrayLength());
            if (current.GetArrayLength() == 0)
            {
                break;
            }

            current = current[0];
        }

        CheckRectangular(value, shape, 0, name);
    }

    private static void CheckRectangular(JsonElement value, List<long> shape, int depth, string name)
    {
        if (depth == shape.Count)
        {
            if (value.ValueKind is JsonValueKind.Array or JsonValueKind.Object or JsonValueKind.Null)
            {
                throw new InferenceException(InferenceError.Invalid($"input '{name}': elements must be numbers, booleans or strings, and arrays must nest evenly"));
            }

            return;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != shape[depth])
        {
            throw new InferenceException(InferenceError.Invalid($"input '{name}': nested arrays of unequal length (expected {shape[depth]} at depth {depth + 1})"));
        }

        foreach (var item in value.EnumerateArray())
        {
            CheckRectangular(item, shape, depth + 1, name);
        }
    }

    private static void WriteFlat(Utf8JsonWriter writer, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            value.WriteTo(writer);
            return;
        }

        foreach (var item in value.EnumerateArray())
        {
            WriteFlat(writer, item);
        }
    }
}
