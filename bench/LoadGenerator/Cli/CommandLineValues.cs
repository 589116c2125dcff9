using Inference.LoadGenerator.Running;

namespace Inference.LoadGenerator.Cli;

/// <summary>The command line as typed, before it is checked and turned into <see cref="LoadOptions"/>.</summary>
internal sealed record CommandLineValues
{
    public required Uri Url { get; init; }

    public string? Method { get; init; }

    public IReadOnlyList<string> Headers { get; init; } = [];

    public string? BodyFile { get; init; }

    public string? ContentType { get; init; }

    public IReadOnlyList<string> Inputs { get; init; } = [];

    public bool Binary { get; init; }

    public bool BinaryOutput { get; init; }

    public int Seed { get; init; } = 1;

    public int? Concurrency { get; init; }

    public IReadOnlyList<int>? Sweep { get; init; }

    public TimeSpan? Duration { get; init; }

    public TimeSpan? WarmUp { get; init; }

    public TimeSpan? Timeout { get; init; }

    public ClientKind Client { get; init; } = ClientKind.Raw;

    public Uri? HealthUrl { get; init; }

    public TimeSpan? HealthInterval { get; init; }

    public int? Pid { get; init; }

    public TimeSpan? Settle { get; init; }

    public string? JsonPath { get; init; }
}
