using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Inference.Host.Protocol.Oip;

/// <summary>
/// Parses JSON numbers to FP32/FP64 quickly and exactly. Most numbers take Clinger's fast path: at
/// most 15 significant digits and a power of ten up to 22 make <c>digits / 10^k</c> (or <c>* 10^k</c>)
/// one correctly rounded double operation. For FP32 that double is rounded once more, which can only
/// go wrong near the midpoint between two floats; those cases, and every number outside the fast
/// path, are handed to the runtime's exact parser.
/// </summary>
internal static class DecimalNumberParser
{
    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>Parses a JSON number at the start of <paramref name="text"/>; false when it is not one.</summary>
    public static bool TryParseSingle(ReadOnlySpan<byte> text, out float value, out int consumed)
    {
        if (!Scan(text, out var negative, out var digits, out var exponent, out var significant, out consumed))
        {
            value = 0;
            return false;
        }

        if (significant <= 19 && exponent is >= -22 and <= 22)
        {
            // Up to 15 digits: one correctly rounded operation, exact unless on a float midpoint.
            // 16 to 19 digits (what JSON encoders print for doubles): the integer's conversion adds a
            // second rounding, so the double is within 2 ulps of the exact value; rounding it to float
            // is then right unless it lies within that distance of a float midpoint.
            var d = exponent < 0 ? (double)digits / PowersOfTen[-exponent] : (double)digits * PowersOfTen[exponent];
            var bits = BitConverter.DoubleToUInt64Bits(d);
            var biasedExponent = (int)(bits >> 52);
            var distanceFromMidpoint = Math.Abs((long)(bits & 0x1FFFFFFF) - 0x10000000);
            var margin = significant <= 15 ? 0 : 4;
            if (d == 0 || (biasedExponent is > 1023 - 126 and < 1023 + 127 && distanceFromMidpoint > margin))
            {
                value = (float)(negative ? -d : d);
                return true;
            }
        }

        return float.TryParse(text[..consumed], NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);
    }

    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value, out int consumed)
    {
        if (!Scan(text, out var negative, out var digits, out var exponent, out var significant, out consumed))
        {
            value = 0;
            return false;
        }

        if (significant <= 15 && exponent is >= -22 and <= 22)
        {
            var d = exponent < 0 ? digits / PowersOfTen[-exponent] : digits * PowersOfTen[exponent];
            value = negative ? -d : d;
            return true;
        }

        return double.TryParse(text[..consumed], NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>
    /// Reads JSON's number grammar: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>. Returns the
    /// significant digits as an integer (up to 19 of them; more only count in <paramref name="significant"/>)
    /// and the power of ten that scales it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Scan(ReadOnlySpan<byte> s, out bool negative, out ulong digits, out int exponent, out int significant, out int consumed)
    {
        var i = 0;
        digits = 0;
        exponent = 0;
        significant = 0;
        consumed = 0;
        negative = s.Length > 0 && s[0] == (byte)'-';
        if (negative)
        {
            i++;
        }

        var intStart = i;
        while (i < s.Length && (uint)(s[i] - '0') <= 9)
        {
            Accumulate(s[i], ref digits, ref significant, ref exponent, fraction: false);
            i++;
        }

        var intDigits = i - intStart;
        if (intDigits == 0 || (intDigits > 1 && s[intStart] == (byte)'0'))
        {
            return false;
        }

        if (i < s.Length && s[i] == (byte)'.')
        {
            i++;
            var fracStart = i;

            // Eight digits at a time while the total stays within 19 (leading zeros in such a block
            // count as significant: an overcount only sends the number to a more careful path).
            while (significant <= 11 && s.Length - i >= 8 && TryEightDigits(s.Slice(i, 8), out var eight))
            {
                digits = (digits * 100_000_000) + eight;
                significant = digits == 0 ? 0 : significant + 8;
                exponent -= 8;
                i += 8;
            }

            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                Accumulate(s[i], ref digits, ref significant, ref exponent, fraction: true);
                i++;
            }

            if (i == fracStart)
            {
                return false;
            }
        }

        if (i < s.Length && (s[i] | 0x20) == (byte)'e')
        {
            i++;
            var expNegative = false;
            if (i < s.Length && s[i] is (byte)'+' or (byte)'-')
            {
                expNegative = s[i] == (byte)'-';
                i++;
            }

            var expStart = i;
            var e = 0;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                e = Math.Min(e * 10 + (s[i] - '0'), 100_000);
                i++;
            }

            if (i == expStart)
            {
                return false;
            }

            exponent += expNegative ? -e : e;
        }

        consumed = i;
        return true;
    }

    /// <summary>
    /// Reads eight ASCII digits in one 64-bit word (the SWAR test and combine of Lemire's fast_float):
    /// false when any of the eight bytes is not a digit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryEightDigits(ReadOnlySpan<byte> eightBytes, out uint value)
    {
        var v = BinaryPrimitives.ReadUInt64LittleEndian(eightBytes);
        if ((((v + 0x4646464646464646UL) | (v - 0x3030303030303030UL)) & 0x8080808080808080UL) != 0)
        {
            value = 0;
            return false;
        }

        v -= 0x3030303030303030UL;
        v = (v * 10) + (v >> 8);
        v = (((v & 0x000000FF000000FFUL) * (100 + (1000000UL << 32))) + (((v >> 16) & 0x000000FF000000FFUL) * (1 + (10000UL << 32)))) >> 32;
        value = (uint)v;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(byte c, ref ulong digits, ref int significant, ref int exponent, bool fraction)
    {
        if (digits == 0 && c == (byte)'0')
        {
            // Leading zeros are not significant; in the fraction they still shift the exponent.
            if (fraction)
            {
                exponent--;
            }

            return;
        }

        significant++;
        if (significant <= 19)
        {
            digits = (digits * 10) + (uint)(c - '0');
            if (fraction)
            {
                exponent--;
            }
        }
        else if (!fraction)
        {
            exponent++;
        }
    }
}
