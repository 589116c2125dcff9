namespace Inference.Onnx.Runtime;

/// <summary>What to do when the configured execution provider cannot be loaded.</summary>
public enum ProviderUnavailableAction
{
    /// <summary>Refuse: the session (and so the host's start) fails with what is missing.</summary>
    Fail,

    /// <summary>Run on CPU and warn.</summary>
    FallBackToCpu,
}
