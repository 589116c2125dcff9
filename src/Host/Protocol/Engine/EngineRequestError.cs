namespace Inference.Host.Protocol.Engine;

/// <summary>Why a request was refused before the plugin saw it: the error code and every name involved.</summary>
public sealed record EngineRequestError(int Code, string Message);
