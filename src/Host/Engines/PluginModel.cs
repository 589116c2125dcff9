using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;
using Inference.Plugins.Sdk;

namespace Inference.Host.Engines;

/// <summary>An ONNX model opened for a managed plugin: arrays in, arrays out, through the host's session.</summary>
internal sealed class PluginModel(InferenceSession session) : IPluginModel
{
    public IReadOnlyList<string> InputNames { get; } = session.Inputs.Select(i => i.Name).ToArray();

    public IReadOnlyList<string> OutputNames { get; } = session.Outputs.Select(o => o.Name).ToArray();

    public IReadOnlyDictionary<string, PluginTensor> Run(IReadOnlyDictionary<string, PluginTensor> inputs, CancellationToken cancellationToken = default)
    {
        var values = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, tensor) in inputs)
            {
                values[name] = ToValue(tensor);
            }

            var outputs = session.Run(values, null, cancellationToken);
            var result = new Dictionary<string, PluginTensor>(StringComparer.Ordinal);
            for (var i = 0; i < outputs.Length; i++)
            {
                using var output = outputs[i];
                result[OutputNames[i]] = FromValue(output);
            }

            return result;
        }
        finally
        {
            foreach (var value in values.Values)
            {
                value.Dispose();
            }
        }
    }

    public void Dispose() => session.Dispose();

    private static OrtValue ToValue(PluginTensor tensor) => tensor.Values switch
    {
        float[] a => OrtValue.CreateTensor<float>(TensorElementType.Float, tensor.Shape, a),
        double[] a => OrtValue.CreateTensor<double>(TensorElementType.Double, tensor.Shape, a),
        long[] a => OrtValue.CreateTensor<long>(TensorElementType.Int64, tensor.Shape, a),
        int[] a => OrtValue.CreateTensor<int>(TensorElementType.Int32, tensor.Shape, a),
        byte[] a => OrtValue.CreateTensor<byte>(TensorElementType.UInt8, tensor.Shape, a),
        bool[] a => OrtValue.CreateTensor<byte>(TensorElementType.Bool, tensor.Shape, a.Select(b => b ? (byte)1 : (byte)0).ToArray()),
        string[] a => OrtValue.CreateStringTensor(tensor.Shape, a.Select(s => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(s)).ToList()),
        _ => throw new ArgumentException($"tensors of {tensor.Values.GetType().Name} are not supported; use float, double, long, int, byte, bool or string arrays"),
    };

    private static PluginTensor FromValue(OrtValue value)
    {
        var type = value.GetTypeAndShape(out var shape);
        Array values = type switch
        {
            TensorElementType.Float => value.GetData<float>().ToArray(),
            TensorElementType.Double => value.GetData<double>().ToArray(),
            TensorElementType.Int64 => value.GetData<long>().ToArray(),
            TensorElementType.Int32 => value.GetData<int>().ToArray(),
            TensorElementType.UInt8 => value.GetData<byte>().ToArray(),
            TensorElementType.Bool => value.GetData<byte>().ToArray().Select(b => b != 0).ToArray(),
            TensorElementType.String => Strings(value.GetStringContent()),
            _ => throw new NotSupportedException($"model outputs of {type} are not supported for plugins yet"),
        };
        return new PluginTensor(values, shape);
    }

    private static string[] Strings(StringTensorContent content) =>
        Enumerable.Range(0, content.Count).Select(i => System.Text.Encoding.UTF8.GetString(content[i])).ToArray();
}
