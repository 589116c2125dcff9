using System.Globalization;
using System.Text.Json;

namespace Inference.LoadGenerator.Requests;

/// <summary>
/// Builds an Open Inference Protocol infer request for the given inputs: all-JSON, or with the binary
/// tensor data extension (the JSON header, then each input's raw bytes in order, the header's length
/// in <c>Inference-Header-Content-Length</c>).
/// </summary>
internal static class OipRequestBody
{
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    public static GeneratedBody Create(IReadOnlyList<TensorSpec> inputs, bool binaryInputs, bool binaryOutput, int seed)
    {
        var random = new Random(seed);
        var data = inputs.Select(input => TensorData.Generate(input, random)).ToList();
        var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteStartArray("inputs");
            for (var i = 0; i < inputs.Count; i++)
            {
                var input = inputs[i];
                json.WriteStartObject();
                json.WriteString("name", input.Name);
                json.WriteStartArray("shape");
                foreach (var dimension in input.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteString("datatype", input.Datatype.ToString());
                if (binaryInputs)
                {
                    json.WriteStartObject("parameters");
                    json.WriteNumber("binary_data_size", data[i].Length);
                    json.WriteEndObject();
                }
                else
                {
                    json.WritePropertyName("data");
                    TensorData.WriteJson(json, input.Datatype, data[i]);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (binaryOutput)
            {
                json.WriteStartObject("parameters");
                json.WriteBoolean("binary_data_output", true);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        if (!binaryInputs)
        {
            return new GeneratedBody(header.ToArray(), [new("Content-Type", "application/json")]);
        }

        var headerLength = (int)header.Length;
        foreach (var tensor in data)
        {
            header.Write(tensor);
        }

        return new GeneratedBody(header.ToArray(),
        [
            new("Content-Type", "application/octet-stream"),
            new(HeaderLengthHeader, headerLength.ToString(CultureInfo.InvariantCulture)),
        ]);
    }
}
