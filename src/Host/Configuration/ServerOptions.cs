using System.ComponentModel.DataAnnotations;

namespace Inference.Host.Configuration;

/// <summary>Section "Host": where models come from and how the HTTP server listens.</summary>
public sealed record ServerOptions
{
    public const string Section = "Host";

    /// <summary>Model repository folder; empty serves the sample models shipped with the host.</summary>
    public string? Repository { get; set; }

    /// <summary>Where plugin packages found in the repository are installed; empty means <c>&lt;repository&gt;/.installed</c>.</summary>
    public string? PackageInstallRoot { get; set; }

    /// <summary>
    /// Run each package's manifest test cases after loading it, before it is ready: warms the engine up
    /// and keeps a package whose own tests fail from serving (it is UNAVAILABLE, naming the test).
    /// </summary>
    public bool RunTestCasesOnLoad { get; set; } = true;

    /// <summary>Run each plain model once on generated inputs before it is ready (see ModelWarmUp).</summary>
    public bool WarmUpModels { get; set; } = true;

    /// <summary>How long one test case may take at load.</summary>
    [Range(1, 3600)]
    public int TestCaseTimeoutSeconds { get; set; } = 60;

    [Required]
    public string HttpAddress { get; set; } = "127.0.0.1";

    /// <summary>HTTP/1.1 port; 0 picks a free one (tests).</summary>
    [Range(0, 65535)]
    public int HttpPort { get; set; } = 8080;

    /// <summary>
    /// Port of the Open Inference Protocol over gRPC (h2c: HTTP/2 without TLS, prior knowledge); 0 picks a free one.
    /// </summary>
    [Range(0, 65535)]
    public int GrpcPort { get; set; } = 8081;

    /// <summary>
    /// Largest gRPC message accepted (after its 5-byte prefix); larger ones are refused with
    /// RESOURCE_EXHAUSTED naming the limit. Unset: <see cref="MaxRequestBodyBytes"/>.
    /// </summary>
    [Range(1024, int.MaxValue)]
    public long? GrpcMaxMessageBytes { get; set; }

    /// <summary>The gRPC message limit in force: <see cref="GrpcMaxMessageBytes"/>, else the body limit (a gRPC length is 32 bits).</summary>
    public int EffectiveGrpcMaxMessageBytes => (int)Math.Min(GrpcMaxMessageBytes ?? MaxRequestBodyBytes, int.MaxValue);

    /// <summary>
    /// Port of the dedicated health listener (<c>/v2/health/live</c>, <c>/v2/health/ready</c> served by
    /// their own threads, so probes are answered promptly under overload); unset is off, 0 picks a free one.
    /// </summary>
    [Range(0, 65535)]
    public int? HealthPort { get; set; }

    /// <summary>
    /// After a load peak, once a whole interval of this many seconds passes with no request, the host
    /// gives the memory the peak grew back to the OS (pools dropped, heap compacted, native heap trimmed); 0 is off.
    /// </summary>
    [Range(0, 86_400)]
    public int IdleTrimSeconds { get; set; } = 5;

    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Requests a plain model runs at once unless <c>Models:{name}:OptimalConcurrency</c> says otherwise.</summary>
    [Range(1, 100_000)]
    public int DefaultOptimalConcurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>Requests a plain model holds (running + queued) before refusing, unless <c>Models:{name}:MaxConcurrency</c> says otherwise.</summary>
    [Range(1, 1_000_000)]
    public int DefaultMaxConcurrency { get; set; } = 64;

    /// <summary>Deadline of a request that names none, in microseconds from arrival; 0 is none.</summary>
    [Range(0, long.MaxValue)]
    public long DefaultTimeoutMicroseconds { get; set; }

    /// <summary>
    /// Readiness turns false while any engine or model holds more than this share of its max
    /// concurrency (running + queued), so a load balancer sends elsewhere; unset never does.
    /// </summary>
    [Range(0.01, 1.0)]
    public double? ReadinessLoadThreshold { get; set; }

    /// <summary>A streaming session with no frame received or sent for this long is closed (code 10019, close 4408).</summary>
    [Range(1, 86_400)]
    public int StreamIdleTimeoutSeconds { get; set; } = 60;

    /// <summary>A streaming session is closed this long after it opened, busy or not (code 10112, close 4408).</summary>
    [Range(1, 7 * 86_400)]
    public int StreamMaxLifetimeSeconds { get; set; } = 3600;

    /// <summary>How many frames ahead of the next in order a session holds while it waits for the gap to fill.</summary>
    [Range(1, 4096)]
    public int StreamReorderWindow { get; set; } = 64;

    /// <summary>Largest WebSocket message (frame) a session takes; larger ones close it (code 10410, close 1009).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int StreamMaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>Results a session holds for a client that reads slowly before it stops taking input.</summary>
    [Range(1, 4096)]
    public int StreamSendQueue { get; set; } = 16;
}
