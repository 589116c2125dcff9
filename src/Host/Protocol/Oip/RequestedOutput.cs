namespace Inference.Host.Protocol.Oip;

/// <summary>An output the client asked for; <see cref="Binary"/> is its own binary_data parameter, if given.</summary>
public sealed record RequestedOutput(string Name, bool? Binary);
