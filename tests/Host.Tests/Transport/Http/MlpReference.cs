namespace Inference.Host.Tests.Transport.Http;

/// <summary>
/// An independent forward pass of the mlp_classifier sample (256-512-512-10, ReLU, softmax, arg-max)
/// from the sample's documented recipe: weights and biases drawn per layer from SplitMix64 seeded with
/// 0x5EED, uniform in [-1, 1), weights scaled by sqrt(2 / fan-in), biases by 0.01; Gemm with W laid
/// out [fan-in, fan-out]. Computed in double precision.
/// </summary>
public sealed class MlpReference
{
    private static readonly int[] Sizes = [256, 512, 512, 10];
    private static readonly Lazy<MlpReference> Instance = new(() => new MlpReference());

    private readonly float[][] weights = new float[3][];
    private readonly float[][] biases = new float[3][];

    private MlpReference()
    {
        var state = 0x5EEDUL;
        for (var layer = 0; layer < 3; layer++)
        {
            int fanIn = Sizes[layer], fanOut = Sizes[layer + 1];
            var scale = MathF.Sqrt(2f / fanIn);
            weights[layer] = new float[fanIn * fanOut];
            for (var i = 0; i < weights[layer].Length; i++)
            {
                weights[layer][i] = NextSigned(ref state) * scale;
            }

            biases[layer] = new float[fanOut];
            for (var i = 0; i < fanOut; i++)
            {
                biases[layer][i] = NextSigned(ref state) * 0.01f;
            }
        }
    }

    public static MlpReference Shared => Instance.Value;

    /// <summary>Logits of one row of 256 features.</summary>
    public double[] Logits(ReadOnlySpan<float> features)
    {
        var current = new double[features.Length];
        for (var i = 0; i < features.Length; i++)
        {
            current[i] = features[i];
        }

        for (var layer = 0; layer < 3; layer++)
        {
            int fanIn = Sizes[layer], fanOut = Sizes[layer + 1];
            var next = new double[fanOut];
            for (var j = 0; j < fanOut; j++)
            {
                double sum = biases[layer][j];
                for (var i = 0; i < fanIn; i++)
                {
                    sum += current[i] * weights[layer][(i * fanOut) + j];
                }

                next[j] = layer < 2 ? Math.Max(0, sum) : sum;
            }

            current = next;
        }

        return current;
    }

    public static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var total = exp.Sum();
        return exp.Select(e => e / total).ToArray();
    }

    public static int ArgMax<T>(IReadOnlyList<T> values)
        where T : IComparable<T>
    {
        var best = 0;
        for (var i = 1; i < values.Count; i++)
        {
            if (values[i].CompareTo(values[best]) > 0)
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>SplitMix64, uniform in [-1, 1) from the top 24 bits.</summary>
    private static float NextSigned(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return ((float)((z >> 40) / (double)(1UL << 24)) * 2f) - 1f;
    }
}
