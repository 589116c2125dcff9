using Inference.Onnx.Authoring;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Tests.Tensors;

public sealed class BFloat16BitsTests
{
    // Loads the library and creates the one environment before any test here touches ORT.
    public BFloat16BitsTests() => _ = OrtFixture.Environment;

    [Theory]
    [InlineData(1f, 0x3F80)]
    [InlineData(-2f, 0xC000)]
    [InlineData(0.15625f, 0x3E20)]
    [InlineData(0f, 0x0000)]
    [InlineData(-0f, 0x8000)]
    [InlineData(float.PositiveInfinity, 0x7F80)]
    [InlineData(float.NegativeInfinity, 0xFF80)]
    public void ExactlyRepresentableValuesKeepTheirUpperHalf(float value, int expected)
    {
        Assert.Equal((ushort)expected, BFloat16Bits.FromSingle(value));
    }

    [Theory]
    [InlineData(0x3F808000u, 0x3F80)] // exactly half way, even below: down
    [InlineData(0x3F818000u, 0x3F82)] // exactly half way, odd below: up to even
    [InlineData(0x3F808001u, 0x3F81)] // just above half way: up
    [InlineData(0x3F807FFFu, 0x3F80)] // just below half way: down
    [InlineData(0xBF818000u, 0xBF82)] // negative, half way, odd: away from zero to even
    public void RoundsToNearestEven(uint floatBits, int expected)
    {
        Assert.Equal((ushort)expected, BFloat16Bits.FromSingle(BitConverter.UInt32BitsToSingle(floatBits)));
    }

    [Fact]
    public void RandomFloatsRoundToTheNearerNeighbour()
    {
        var random = new Random(16);
        for (var i = 0; i < 100_000; i++)
        {
            var value = BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32));
            if (!float.IsFinite(value) || Math.Abs(value) > 3.38e38f)
            {
                continue;
            }

            Assert.Equal(NearestEven(value), BFloat16Bits.FromSingle(value));
        }
    }

    [Fact]
    public void EveryNonNaNBitPatternRoundTrips()
    {
        for (var bits = 0; bits <= ushort.MaxValue; bits++)
        {
            var value = BFloat16Bits.ToSingle((ushort)bits);
            if (!float.IsNaN(value))
            {
                Assert.Equal((ushort)bits, BFloat16Bits.FromSingle(value));
            }
        }
    }

    [Theory]
    [InlineData(0x7FC00000u)]
    [InlineData(0x7F800001u)] // NaN whose payload is only in the lower half: truncation alone would make it infinity
    [InlineData(0xFF800001u)]
    [InlineData(0x7FFFFFFFu)]
    public void NaNStaysNaN(uint floatBits)
    {
        var bits = BFloat16Bits.FromSingle(BitConverter.UInt32BitsToSingle(floatBits));

        Assert.True(float.IsNaN(BFloat16Bits.ToSingle(bits)), $"0x{floatBits:X8} became 0x{bits:X4}");
    }

    [Fact]
    public void ValuesAboveTheLargestBFloat16RoundToInfinity()
    {
        Assert.Equal(0x7F80, BFloat16Bits.FromSingle(float.MaxValue));
        Assert.Equal(0xFF80, BFloat16Bits.FromSingle(float.MinValue));
    }

    [Fact]
    public void AgreesWithOrtCastForFiniteValues()
    {
        var random = new Random(1616);
        var values = Enumerable.Range(0, 4096)
            .Select(_ => BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32)))
            .Where(float.IsFinite)
            .Concat([1f, 0.1f, -1e-40f, 65504f, float.Epsilon, 3.0e38f])
            .ToArray();
        var model = new OnnxGraphBuilder("cast")
            .Input("x", TensorElementType.Float, values.Length)
            .Output("y", TensorElementType.BFloat16, values.Length)
            .Node("Cast", ["x"], ["y"], OnnxAttribute.Of("to", (long)TensorElementType.BFloat16))
            .Build();
        using var session = TestModels.Open(model);
        using var x = OrtValue.CreateTensor<float>(TensorElementType.Float, [values.Length], values);
        using var y = TestModels.RunSingle(session, ("x", x));

        Assert.Equal(y.GetData<ushort>().ToArray(), values.Select(BFloat16Bits.FromSingle));
    }

    [Fact]
    public void ToSingleWidensWithoutLoss()
    {
        Assert.Equal(1f, BFloat16Bits.ToSingle(0x3F80));
        Assert.Equal(-2.5f, BFloat16Bits.ToSingle(0xC020));
        Assert.Equal(float.NegativeInfinity, BFloat16Bits.ToSingle(0xFF80));
    }

    /// <summary>Reference: of the two bfloat16 values around <paramref name="value"/>, the nearer; on a tie, the even one.</summary>
    private static ushort NearestEven(float value)
    {
        var truncated = (ushort)(BitConverter.SingleToUInt32Bits(value) >> 16);
        var next = (ushort)(truncated + 1);
        var below = Math.Abs((double)value - BitConverter.UInt32BitsToSingle((uint)truncated << 16));
        var above = Math.Abs((double)value - BitConverter.UInt32BitsToSingle((uint)next << 16));
        if (below != above)
        {
            return below < above ? truncated : next;
        }

        return (truncated & 1) == 0 ? truncated : next;
    }
}
