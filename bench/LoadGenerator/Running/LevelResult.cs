using Inference.LoadGenerator.Measurement;

namespace Inference.LoadGenerator.Running;

/// <summary>What one concurrency level measured, before it is formatted.</summary>
internal sealed record LevelResult(
    int Concurrency,
    TimeSpan Measured,
    RequestStats Stats,
    long Connects,
    TimeSpan ClientCpu,
    RequestStats? Health,
    MemoryResult? Memory,
    bool Interrupted);
