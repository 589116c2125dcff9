using System.Text;

namespace Inference.Host.Tests.Registry;

/// <summary>
/// Models whose graph inputs or outputs are sequences, which <see cref="Inference.Onnx.Authoring.OnnxGraphBuilder"/>
/// cannot declare (it writes tensor types only): the ModelProto is written here field by field.
/// </summary>
internal static class NonTensorModels
{
    private const int Float = 1;
    private const int Int64 = 7;

    /// <summary>Input S: sequence of float tensors; output N: int64 scalar, the sequence's length.</summary>
    public static byte[] SequenceInput() => Model(
        "sequence_input",
        Node("SequenceLength", "S", "N"),
        ValueInfo("S", SequenceOf(TensorType(Float, shape: null))),
        ValueInfo("N", TensorType(Int64, shape: [])));

    /// <summary>Input X: float [n]; output S: a sequence holding X.</summary>
    public static byte[] SequenceOutput() => Model(
        "sequence_output",
        Node("SequenceConstruct", "X", "S"),
        ValueInfo("X", TensorType(Float, shape: [-1])),
        ValueInfo("S", SequenceOf(TensorType(Float, shape: null))));

    private static byte[] Model(string graphName, Proto node, Proto input, Proto output)
    {
        var graph = new Proto().Message(1, node).String(2, graphName).Message(11, input).Message(12, output);
        return new Proto()
            .Varint(1, 8) // ir_version
            .String(2, "host-unit-tests")
            .Message(7, graph)
            .Message(8, new Proto().String(1, "").Varint(2, 17)) // opset_import: default domain, 17
            .ToArray();
    }

    private static Proto Node(string opType, string input, string output) =>
        new Proto().String(1, input).String(2, output).String(3, opType + "_0").String(4, opType);

    private static Proto ValueInfo(string name, Proto type) => new Proto().String(1, name).Message(2, type);

    /// <summary>TypeProto.tensor_type; a null shape leaves the rank unknown, -1 is a dynamic dimension.</summary>
    private static Proto TensorType(int elementType, long[]? shape)
    {
        var tensor = new Proto().Varint(1, elementType);
        if (shape is not null)
        {
            var shapeProto = new Proto();
            foreach (var d in shape)
            {
                shapeProto.Message(1, d < 0 ? new Proto().String(2, "n") : new Proto().Varint(1, d));
            }

            tensor.Message(2, shapeProto);
        }

        return new Proto().Message(1, tensor);
    }

    /// <summary>TypeProto.sequence_type (field 4) of <paramref name="element"/>.</summary>
    private static Proto SequenceOf(Proto element) => new Proto().Message(4, new Proto().Message(1, element));

    /// <summary>The protobuf wire format, as far as these models need it.</summary>
    private sealed class Proto
    {
        private readonly List<byte> bytes = [];

        public Proto Varint(int field, long value)
        {
            Key(field, 0);
            Raw((ulong)value);
            return this;
        }

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => [.. bytes];

        private Proto Bytes(int field, byte[] value)
        {
            Key(field, 2);
            Raw((ulong)value.Length);
            bytes.AddRange(value);
            return this;
        }

        private void Key(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }

            bytes.Add((byte)value);
        }
    }
}
