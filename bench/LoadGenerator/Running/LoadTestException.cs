namespace Inference.LoadGenerator.Running;

/// <summary>The load test cannot start against this target (its host name does not resolve).</summary>
internal sealed class LoadTestException(string message, Exception? inner = null) : Exception(message, inner);
