using System.Text.Json;

namespace Inference.Host.Protocol.Generate;

/// <summary>
/// Triton's generate extension, response side: an Open Inference Protocol JSON response turned into
/// one flat object: <c>model_name</c>, <c>model_version</c>, <c>id</c> when the request had one, and
/// each output by name, a single element as a scalar (a text output reads as a string) and more as
/// a flat array in row-major order.
/// </summary>
public static class GenerateResponseTranslator
{
    public static byte[] FromInferResponse(ReadOnlySpan<byte> inferResponse)
    {
        var reader = new Utf8JsonReader(inferResponse);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        using var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            foreach (var key in (ReadOnlySpan<string>)["model_name", "model_version", "id"])
            {
                if (root.TryGetProperty(key, out var value))
                {
                    writer.WritePropertyName(key);
                    value.WriteTo(writer);
                }
            }

            foreach (var tensor in root.GetProperty("outputs").EnumerateArray())
            {
                writer.WritePropertyName(tensor.GetProperty("name").GetString()!);
                var data = tensor.GetProperty("data");
                if (data.GetArrayLength() == 1)
                {
                    data[0].WriteTo(writer);
                }
                else
                {
                    data.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return output.ToArray();
    }
}
