namespace Inference.Onnx.Binding;

/// <summary>A failure reported by ONNX Runtime, with its error code and its own message.</summary>
public sealed class OrtException : Exception
{
    public OrtException(OrtErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public OrtErrorCode Code { get; }
}
