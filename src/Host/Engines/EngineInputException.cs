namespace Inference.Host.Engines;

/// <summary>A request's data does not fit the model it is mapped to (a client error, answered with 400).</summary>
public sealed class EngineInputException(string message) : Exception(message);
