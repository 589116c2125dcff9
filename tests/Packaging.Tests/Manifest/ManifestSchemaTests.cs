using System.Text.Json;
using Inference.Packaging.Manifest;
using YamlDotNet.RepresentationModel;

namespace Inference.Packaging.Tests.Manifest;

/// <summary>The published schema describes what the reader accepts: every key of a valid manifest is in it.</summary>
public sealed class ManifestSchemaTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "manifest.schema.json"))).RootElement;

    [Fact]
    public void TopLevelSectionsAreTheReadersSections()
    {
        var properties = Schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order();

        Assert.Equal(["config", "engine", "errors", "parameters", "request", "resources", "response", "service", "tests"], properties);
    }

    [Fact]
    public void EveryKeyOfTheValidSampleIsDescribed()
    {
        Assert.True(ManifestReader.Read(SampleManifests.ValidYaml).IsValid);
        var stream = new YamlStream();
        stream.Load(new StringReader(SampleManifests.ValidYaml));

        var missing = new List<string>();
        Walk(stream.Documents[0].RootNode, Schema, "", missing);

        Assert.True(missing.Count == 0, "keys not in the schema: " + string.Join(", ", missing));
    }

    [Fact]
    public void SchemaForbidsUnknownKeysLikeTheReader()
    {
        Assert.False(Schema.GetProperty("additionalProperties").GetBoolean());
        Assert.False(Schema.GetProperty("properties").GetProperty("config").GetProperty("additionalProperties").GetBoolean());
    }

    private static void Walk(YamlNode node, JsonElement schema, string path, List<string> missing)
    {
        schema = Resolve(schema);
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var name = ((YamlScalarNode)key).Value!;
                    if (schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty(name, out var child))
                    {
                        Walk(value, child, $"{path}.{name}", missing);
                    }
                    else if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object)
                    {
                        Walk(value, additional, $"{path}.{name}", missing);
                    }
                    else
                    {
                        missing.Add($"{path}.{name}");
                    }
                }

                break;
            case YamlSequenceNode sequence when schema.TryGetProperty("items", out var items):
                foreach (var item in sequence.Children)
                {
                    Walk(item, items, path + "[]", missing);
                }

                break;
        }
    }

    private static JsonElement Resolve(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? Schema.GetProperty("$defs").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;
}
