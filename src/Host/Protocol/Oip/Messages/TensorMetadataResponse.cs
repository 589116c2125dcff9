namespace Inference.Host.Protocol.Oip.Messages;

/// <summary>An input or output of a model: -1 marks a dynamic dimension.</summary>
public sealed record TensorMetadataResponse(string Name, string Datatype, IReadOnlyList<long> Shape);
