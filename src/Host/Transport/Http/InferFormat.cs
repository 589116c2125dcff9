namespace Inference.Host.Transport.Http;

/// <summary>How the infer endpoint reads a request and writes its answer.</summary>
public enum InferFormat
{
    /// <summary>The Open Inference Protocol: JSON with optional binary tensors.</summary>
    Oip,

    /// <summary>Triton's generate extension: inputs and outputs by name, one JSON object.</summary>
    Generate,

    /// <summary>The same, the answer as a Server-Sent Event.</summary>
    GenerateStream,
}
