namespace Inference.Plugins.Sdk;

/// <summary>A named data segment in or out of a plugin: its encoding, its status in a stream, its bytes.</summary>
public sealed record PluginData(string Name, string Encoding, DataStatus Status, ReadOnlyMemory<byte> Data);
