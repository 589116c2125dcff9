using Inference.Host.Admission;
using Inference.Host.Engines;
using Microsoft.Extensions.Configuration;

namespace Inference.Host.Streaming;

/// <summary>
/// Opens an engine's streaming session behind <see cref="IEngineStream"/>: managed plugins through the
/// SDK's <c>CreateSession</c>, native ones through wrapperCreate, in the mode
/// <c>Engines:{service}:StreamMode</c> names (<c>sync</c>: wrapperRead after each write; <c>async</c>: results
/// by callback; unset: sync when the library exports wrapperRead, else async). ONNX-only engines run their
/// model once per call and have no sessions.
/// </summary>
public sealed class EngineStreamFactory(IConfiguration configuration)
{
    public const string ModeKey = "StreamMode";

    /// <summary>Why the engine cannot stream, or null when it can; asked before the upgrade.</summary>
    public static string? WhyNotStreamable(EngineVersionEntry entry) => entry.Engine is ManagedEngine or NativeEngine
        ? null
        : $"engine '{entry.Service}' {entry.Version} is ONNX-only: the host runs its model once per call, so it has no streaming sessions; call POST /v1/engines/{entry.Service}";

    /// <summary>
    /// Opens a session with the first frame's parameters (checked against the manifest, defaults filled in).
    /// Plugin refusals are <see cref="EnginePluginException"/>; an engine without sessions, or a mode that
    /// cannot be used, is a <see cref="StreamFailureException"/>.
    /// </summary>
    public IEngineStream Open(EngineVersionEntry entry, string sessionId, IReadOnlyDictionary<string, object?> parameters, IReadOnlyDictionary<string, string?> expect, int resultCapacity) => entry.Engine switch
    {
        ManagedEngine managed => ManagedEngineStream.Open(managed, parameters, resultCapacity),
        NativeEngine native => NativeEngineStream.Open(native, sessionId, parameters, expect, AsyncMode(entry.Service, native), resultCapacity),
        _ => throw new StreamFailureException(StreamFailure.Protocol(StreamErrorCodes.NotStreamable, WhyNotStreamable(entry)!)),
    };

    /// <summary>The native mode for <paramref name="service"/>, read on each open so that a configuration reload applies to new sessions.</summary>
    public bool AsyncMode(string service, NativeEngine engine)
    {
        var key = $"{LoadLimitsProvider.EnginesSection}:{service}:{ModeKey}";
        return configuration[key] switch
        {
            null or "" => !engine.Plugin.SupportsRead,
            var v when v.Equals("sync", StringComparison.OrdinalIgnoreCase) => false,
            var v when v.Equals("async", StringComparison.OrdinalIgnoreCase) => true,
            var v => throw new StreamFailureException(StreamFailure.Internal($"{key} is '{v}'; it must be sync or async")),
        };
    }
}
