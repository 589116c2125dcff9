namespace Inference.Host.Protocol.Oip.Messages;

/// <summary>Every error body: <c>{"error": "..."}</c>.</summary>
public sealed record ErrorResponse(string Error);
