namespace Inference.Packaging.Manifest;

/// <summary>
/// A function parameter: name, meaning, type, constraint (range or enum), whether it is required, and
/// the default that applies when an optional parameter is not given. Values are typed: long for
/// integers, double for floats, bool, string (enum values, strings), DateTimeOffset or TimeSpan for times.
/// </summary>
public sealed record ParameterDefinition(
    string Name,
    string? Description,
    ParameterType Type,
    ValueRange? Range,
    IReadOnlyList<EnumValue>? Enum,
    bool Required,
    object? Default);
