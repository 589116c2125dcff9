using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Protocol.Oip;

/// <summary>
/// One output to send: its ORT value (read in place when encoding) and whether it goes as binary.
/// The value is owned by whoever ran the model and must live until the response is written.
/// </summary>
public sealed class OutputTensor
{
    public OutputTensor(string name, OrtValue value, bool binary)
    {
        Name = name;
        Value = value;
        Binary = binary;
        ElementType = value.GetTypeAndShape(out var shape);
        Shape = shape;
        if (ElementType == TensorElementType.String)
        {
            Strings = value.GetStringContent();
            BinarySize = Strings.Data.Length + (4L * Strings.Count);
        }
        else
        {
            BinarySize = value.SizeInBytes;
        }
    }

    public string Name { get; }

    public OrtValue Value { get; }

    public bool Binary { get; }

    public TensorElementType ElementType { get; }

    public long[] Shape { get; }

    /// <summary>The elements of a BYTES output, read once.</summary>
    public StringTensorContent? Strings { get; }

    /// <summary>Bytes this output takes in the binary data section.</summary>
    public long BinarySize { get; }
}
