using Inference.Onnx.Authoring;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Infrastructure;

/// <summary>
/// A model repository in a temp folder for the HTTP tests: the samples, an Identity model per
/// datatype (<c>identity_fp32</c>, ...), a model that fails at run time, two versions of one model,
/// and entries that must be reported as unusable (a corrupt file, a non-numeric version).
/// </summary>
public static class TestRepository
{
    public static readonly (string Suffix, TensorElementType Type)[] DataTypes =
    [
        ("bool", TensorElementType.Bool), ("uint8", TensorElementType.UInt8), ("uint16", TensorElementType.UInt16),
        ("uint32", TensorElementType.UInt32), ("uint64", TensorElementType.UInt64), ("int8", TensorElementType.Int8),
        ("int16", TensorElementType.Int16), ("int32", TensorElementType.Int32), ("int64", TensorElementType.Int64),
        ("fp16", TensorElementType.Float16), ("bf16", TensorElementType.BFloat16), ("fp32", TensorElementType.Float),
        ("fp64", TensorElementType.Double), ("bytes", TensorElementType.String),
    ];

    public static string Create()
    {
        var root = Path.Combine(Path.GetTempPath(), "inference-host-tests-" + Guid.NewGuid().ToString("N"));
        SampleModels.WriteTo(root);
        foreach (var (suffix, type) in DataTypes)
        {
            // Dynamic rank-2 identity: any [a, b] tensor of this type comes back unchanged.
            Write(root, $"identity_{suffix}", 1, new OnnxGraphBuilder($"identity_{suffix}")
                .Input("IN", type, "a", "b")
                .Output("OUT", type, "a", "b")
                .Node("Identity", ["IN"], ["OUT"])
                .Build());
        }

        // Scalars: rank-0 input and output.
        Write(root, "scalar_fp32", 1, new OnnxGraphBuilder("scalar_fp32")
            .Input("IN", TensorElementType.Float)
            .Output("OUT", TensorElementType.Float)
            .Node("Identity", ["IN"], ["OUT"])
            .Build());

        // Reshape to a fixed [3]: any input of other than 3 elements fails inside ORT at run time.
        Write(root, "reshape_fails", 1, new OnnxGraphBuilder("reshape_fails")
            .Input("IN", TensorElementType.Float, "n")
            .Initializer<long>("target", TensorElementType.Int64, [1], [3])
            .Output("OUT", TensorElementType.Float, 3)
            .Node("Reshape", ["IN", "target"], ["OUT"])
            .Build());

        // Two versions: 1 adds 1, 2 adds 2 (the default is the newest).
        foreach (var version in new[] { 1, 2 })
        {
            Write(root, "versioned", version, new OnnxGraphBuilder("versioned")
                .Input("IN", TensorElementType.Float, "n")
                .Initializer<float>("k", TensorElementType.Float, [1], [version])
                .Output("OUT", TensorElementType.Float, "n")
                .Node("Add", ["IN", "k"], ["OUT"])
                .Build());
        }

        // A single-file model (DIR/<name>.onnx is version 1).
        File.WriteAllBytes(Path.Combine(root, "flat.onnx"), new OnnxGraphBuilder("flat")
            .Input("IN", TensorElementType.Int32, "n")
            .Output("OUT", TensorElementType.Int32, "n")
            .Node("Neg", ["IN"], ["OUT"])
            .Build());

        // Not loadable: garbage bytes, and a version folder that is not a number.
        Directory.CreateDirectory(Path.Combine(root, "corrupt", "1"));
        File.WriteAllBytes(Path.Combine(root, "corrupt", "1", "model.onnx"), "this is not an onnx model"u8.ToArray());
        Directory.CreateDirectory(Path.Combine(root, "badversion", "latest"));
        TestPackages.WriteTo(root);
        return root;
    }

    private static void Write(string root, string name, int version, byte[] model)
    {
        var dir = Path.Combine(root, name, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), model);
    }
}
