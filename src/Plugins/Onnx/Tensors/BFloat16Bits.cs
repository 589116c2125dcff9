namespace Inference.Onnx.Tensors;

/// <summary>bfloat16 as raw bits: the top half of an IEEE float, rounded to nearest even.</summary>
public static class BFloat16Bits
{
    public static ushort FromSingle(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            // Keep it a NaN after truncation (set a mantissa bit).
            return (ushort)((bits >> 16) | 0x0040);
        }

        var roundingBias = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }

    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
