namespace Inference.Packaging.Manifest;

/// <summary>A decoder plugin's manifest: the ASE interface definition, configuration, resources and engine entry.</summary>
public sealed record PluginManifest(
    ServiceInfo Service,
    IReadOnlyList<ParameterDefinition> Parameters,
    IReadOnlyList<DataSegment> Request,
    IReadOnlyList<DataSegment> Response,
    IReadOnlyList<ErrorCodeDefinition> Errors,
    IReadOnlyList<TestCase> Tests,
    EngineConfig Config,
    ResourceSpec Resources,
    EngineEntry Engine);
