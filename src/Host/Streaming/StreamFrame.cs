using Inference.Host.Protocol.Engine;

namespace Inference.Host.Streaming;

/// <summary>One frame of a stream's input in order: its sequence number and its chunks (one per payload segment).</summary>
public sealed record StreamFrame(long Seq, IReadOnlyList<EngineDataSegment> Chunks);
