using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Inference.Host.Protocol.Oip.Messages;

/// <summary>Source-generated JSON for the protocol's small messages (snake_case, as the protocol spells them).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ServerMetadataResponse))]
[JsonSerializable(typeof(ModelMetadataResponse))]
[JsonSerializable(typeof(RepositoryIndexEntry[]))]
[JsonSerializable(typeof(ErrorResponse))]
public sealed partial class OipJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the host uses: like <see cref="JsonSerializerContext"/>'s default, but without
    /// escaping non-ASCII or quotes as \uXXXX (these bodies are JSON for machines, never HTML).
    /// </summary>
    public static OipJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
