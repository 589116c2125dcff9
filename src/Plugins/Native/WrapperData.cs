namespace Inference.Native;

/// <summary>A data segment going into or coming out of a plugin, in managed memory.</summary>
public sealed record WrapperData(
    string Key,
    ReadOnlyMemory<byte> Data,
    WrapperDataType Type,
    WrapperDataStatus Status,
    IReadOnlyDictionary<string, string>? Description = null);
