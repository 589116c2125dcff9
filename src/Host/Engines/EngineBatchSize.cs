namespace Inference.Host.Engines;

/// <summary>How many runs of an engine took <see cref="Size"/> (requests per plugin call, or rows per ONNX run).</summary>
public sealed record EngineBatchSize(long Size, long Count);
