namespace Inference.Host.Protocol.Engine;

/// <summary>One payload segment: its encoding, its status (begin 0, continue 1, end 2, once 3) and its bytes.</summary>
public sealed record EngineDataSegment(string Name, string Encoding, int Status, ReadOnlyMemory<byte> Data);
