using Inference.LoadGenerator.Requests;

namespace Inference.LoadGenerator.Running;

/// <summary>One load test: what to send, at which concurrency levels, for how long, and what else to watch.</summary>
internal sealed record LoadOptions
{
    public required RequestTarget Target { get; init; }

    /// <summary>One level for a plain run; several for a sweep, run in order.</summary>
    public required IReadOnlyList<int> ConcurrencyLevels { get; init; }

    public bool IsSweep { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Run before each level's measured window and left out of its figures (JIT, pools, caches).</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public ClientKind Client { get; init; } = ClientKind.Raw;

    public Uri? HealthUrl { get; init; }

    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The server process whose resident memory is sampled.</summary>
    public int? Pid { get; init; }

    public TimeSpan MemoryInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long after each level the memory is read again, to show it returning to its baseline.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.Zero;

    public string? JsonPath { get; init; }

    /// <summary>What the body is, for the report (a file name, or the generated inputs).</summary>
    public string BodyDescription { get; init; } = "none";
}
