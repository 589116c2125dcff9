using System.Runtime.InteropServices;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Authoring;

/// <summary>
/// Writes small ONNX models (ModelProto bytes) from code: graph inputs and outputs, initializers,
/// nodes. Used for the repo's sample models and by tests that need a model of every element type;
/// it writes only what those need, not the whole ONNX schema.
/// </summary>
public sealed class OnnxGraphBuilder(string graphName)
{
    private readonly List<Action<ProtoWriter>> nodes = [];
    private readonly List<Action<ProtoWriter>> initializers = [];
    private readonly List<Action<ProtoWriter>> inputs = [];
    private readonly List<Action<ProtoWriter>> outputs = [];
    private readonly Dictionary<string, string> metadata = new(StringComparer.Ordinal);
    private int nodeCount;

    public string? DocString { get; set; }

    public OnnxGraphBuilder Input(string name, TensorElementType type, params OnnxDimension[] shape)
    {
        inputs.Add(w => ValueInfo(w, name, type, shape));
        return this;
    }

    public OnnxGraphBuilder Output(string name, TensorElementType type, params OnnxDimension[] shape)
    {
        outputs.Add(w => ValueInfo(w, name, type, shape));
        return this;
    }

    public OnnxGraphBuilder Initializer(string name, TensorElementType type, long[] dims, byte[] raw)
    {
        initializers.Add(w => Tensor(w, name, type, dims, raw));
        return this;
    }

    public OnnxGraphBuilder Initializer<T>(string name, TensorElementType type, long[] dims, T[] values)
        where T : unmanaged =>
        Initializer(name, type, dims, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public OnnxGraphBuilder Node(string opType, string[] nodeInputs, string[] nodeOutputs, params OnnxAttribute[] attributes)
    {
        var nodeName = $"{opType}_{nodeCount++}";
        nodes.Add(w =>
        {
            foreach (var i in nodeInputs)
            {
                w.String(1, i);
            }

            foreach (var o in nodeOutputs)
            {
                w.String(2, o);
            }

            w.String(3, nodeName);
            w.String(4, opType);
            foreach (var a in attributes)
            {
                w.Message(5, aw => Attribute(aw, a));
            }
        });
        return this;
    }

    public OnnxGraphBuilder Metadata(string key, string value)
    {
        metadata[key] = value;
        return this;
    }

    /// <summary>The model as ONNX bytes (IR version 8, default-domain opset <paramref name="opset"/>).</summary>
    public byte[] Build(int opset = 17, string producer = "inference-host", long modelVersion = 1)
    {
        var model = new ProtoWriter();
        model.Varint(1, 8);
        model.String(2, producer);
        model.String(3, "1");
        model.Varint(5, modelVersion);
        if (DocString is not null)
        {
            model.String(6, DocString);
        }

        model.Message(7, g =>
        {
            foreach (var n in nodes)
            {
                g.Message(1, n);
            }

            g.String(2, graphName);
            foreach (var t in initializers)
            {
                g.Message(5, t);
            }

            foreach (var i in inputs)
            {
                g.Message(11, i);
            }

            foreach (var o in outputs)
            {
                g.Message(12, o);
            }
        });
        model.Message(8, o =>
        {
            o.String(1, "");
            o.Varint(2, opset);
        });
        foreach (var (key, value) in metadata)
        {
            model.Message(14, e =>
            {
                e.String(1, key);
                e.String(2, value);
            });
        }

        return model.ToArray();
    }

    private static void ValueInfo(ProtoWriter w, string name, TensorElementType type, OnnxDimension[] shape)
    {
        w.String(1, name);
        w.Message(2, typeProto => typeProto.Message(1, tensor =>
        {
            tensor.Varint(1, (int)type);
            tensor.Message(2, s =>
            {
                foreach (var d in shape)
                {
                    s.Message(1, dim =>
                    {
                        if (d.Symbol is { } symbol)
                        {
                            dim.String(2, symbol);
                        }
                        else
                        {
                            dim.Varint(1, d.Value);
                        }
                    });
                }
            });
        }));
    }

    private static void Tensor(ProtoWriter w, string name, TensorElementType type, long[] dims, byte[] raw)
    {
        foreach (var d in dims)
        {
            w.Varint(1, d);
        }

        w.Varint(2, (int)type);
        w.String(8, name);
        w.Bytes(9, raw);
    }

    private static void Attribute(ProtoWriter w, OnnxAttribute a)
    {
        w.String(1, a.Name);
        if (a.Int is { } i)
        {
            w.Varint(3, i);
            w.Varint(20, 2);
        }
        else if (a.Float is { } f)
        {
            w.Float(2, f);
            w.Varint(20, 1);
        }
        else if (a.String is { } s)
        {
            w.String(4, s);
            w.Varint(20, 3);
        }
        else if (a.Tensor is { } t)
        {
            w.Message(5, tw => Tensor(tw, "", t.Type, t.Dims, t.Raw));
            w.Varint(20, 4);
        }
        else if (a.Floats is { } fs)
        {
            foreach (var x in fs)
            {
                w.Float(7, x);
            }

            w.Varint(20, 6);
        }
        else if (a.Ints is { } ints)
        {
            foreach (var x in ints)
            {
                w.Varint(8, x);
            }

            w.Varint(20, 7);
        }
        else
        {
            throw new ArgumentException($"attribute '{a.Name}' has no value");
        }
    }
}
