using Inference.Onnx.Tensors;

namespace Inference.Onnx.Authoring;

/// <summary>
/// The sample models shipped in samples/models and served by the host when no repository is given.
/// Deterministic: the same code writes the same bytes, so a test can prove the committed files are
/// what this code makes.
/// </summary>
public static class SampleModels
{
    /// <summary>Triton's classic "simple": OUTPUT0 = INPUT0 + INPUT1, OUTPUT1 = INPUT0 - INPUT1, FP32 [batch, 16].</summary>
    public static byte[] Simple() =>
        new OnnxGraphBuilder("simple") { DocString = "Element-wise sum and difference of two FP32 [batch, 16] tensors." }
            .Input("INPUT0", TensorElementType.Float, "batch", 16)
            .Input("INPUT1", TensorElementType.Float, "batch", 16)
            .Output("OUTPUT0", TensorElementType.Float, "batch", 16)
            .Output("OUTPUT1", TensorElementType.Float, "batch", 16)
            .Node("Add", ["INPUT0", "INPUT1"], ["OUTPUT0"])
            .Node("Sub", ["INPUT0", "INPUT1"], ["OUTPUT1"])
            .Metadata("sample", "simple")
            .Build();

    /// <summary>
    /// A batched MLP classifier, 256-512-512-10 FP32 with ReLU, returning softmax probabilities and
    /// the arg-max label. Weights come from a fixed-seed generator (He-style scale), not training.
    /// </summary>
    public static byte[] MlpClassifier() => Mlp("mlp_classifier", 256, 512, 512, 10);

    /// <summary>
    /// An MLP classifier of the given layer widths (input first, classes last), built like
    /// <see cref="MlpClassifier"/>: Gemm + ReLU per hidden layer, softmax and arg-max outputs, weights
    /// from the same fixed-seed generator. For benchmarks that need more compute per row.
    /// </summary>
    public static byte[] Mlp(string name, params int[] sizes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sizes.Length, 2);
        var random = new SplitMix64(0x5EED);
        var builder = new OnnxGraphBuilder(name) { DocString = $"{string.Join('-', sizes)} MLP classifier with fixed pseudo-random weights." }
            .Input("features", TensorElementType.Float, "batch", sizes[0])
            .Output("probabilities", TensorElementType.Float, "batch", sizes[^1])
            .Output("label", TensorElementType.Int64, "batch");
        var current = "features";
        for (var layer = 0; layer < sizes.Length - 1; layer++)
        {
            int fanIn = sizes[layer], fanOut = sizes[layer + 1];
            var scale = MathF.Sqrt(2f / fanIn);
            var weights = new float[fanIn * fanOut];
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] = random.NextSigned() * scale;
            }

            var bias = new float[fanOut];
            for (var i = 0; i < bias.Length; i++)
            {
                bias[i] = random.NextSigned() * 0.01f;
            }

            builder.Initializer($"W{layer}", TensorElementType.Float, [fanIn, fanOut], weights)
                .Initializer($"B{layer}", TensorElementType.Float, [fanOut], bias)
                .Node("Gemm", [current, $"W{layer}", $"B{layer}"], [$"gemm{layer}"]);
            current = $"gemm{layer}";
            if (layer < sizes.Length - 2)
            {
                builder.Node("Relu", [current], [$"relu{layer}"]);
                current = $"relu{layer}";
            }
        }

        return builder
            .Node("Softmax", [current], ["probabilities"], OnnxAttribute.Of("axis", 1L))
            .Node("ArgMax", [current], ["label"], OnnxAttribute.Of("axis", 1L), OnnxAttribute.Of("keepdims", 0L))
            .Metadata("sample", name)
            .Build();
    }

    /// <summary>Returns its BYTES input unchanged: shows string tensors end to end.</summary>
    public static byte[] StringIdentity() =>
        new OnnxGraphBuilder("string_identity") { DocString = "Identity over a BYTES [n] tensor." }
            .Input("TEXT", TensorElementType.String, "n")
            .Output("TEXT_OUT", TensorElementType.String, "n")
            .Node("Identity", ["TEXT"], ["TEXT_OUT"])
            .Metadata("sample", "string_identity")
            .Build();

    /// <summary>OUT = AUDIO * GAIN: the model of the ONNX-only sample plugin package (gain-1.0.0.tar.gz).</summary>
    public static byte[] Gain() =>
        new OnnxGraphBuilder("gain") { DocString = "Scales FP32 audio [1, n] by a scalar gain." }
            .Input("AUDIO", TensorElementType.Float, 1, "n")
            .Input("GAIN", TensorElementType.Float)
            .Output("OUT", TensorElementType.Float, 1, "n")
            .Node("Mul", ["AUDIO", "GAIN"], ["OUT"])
            .Build();

    /// <summary>Every sample model as (repository-relative path, bytes).</summary>
    public static IReadOnlyList<(string Path, byte[] Bytes)> All() =>
    [
        ("simple/1/model.onnx", Simple()),
        ("mlp_classifier/1/model.onnx", MlpClassifier()),
        ("string_identity/1/model.onnx", StringIdentity()),
    ];

    /// <summary>Writes every sample under <paramref name="repository"/>.</summary>
    public static void WriteTo(string repository)
    {
        foreach (var (path, bytes) in All())
        {
            var full = Path.Combine(repository, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }
    }

    /// <summary>SplitMix64: tiny, fast, and the same on every runtime (unlike System.Random's future).</summary>
    private struct SplitMix64(ulong state)
    {
        private ulong state = state;

        /// <summary>Uniform in [-1, 1).</summary>
        public float NextSigned()
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (float)((z >> 40) / (double)(1UL << 24)) * 2f - 1f;
        }
    }
}
