namespace Inference.Plugins.Sdk;

/// <summary>A tensor for <see cref="IPluginModel"/>: a flat array of one element type and its shape.</summary>
public sealed record PluginTensor(Array Values, long[] Shape);
