using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Inference.Host.Protocol.Oip;

namespace Inference.Host.Tests.Protocol.Oip;

public sealed class ElementParsersTests
{
    public static TheoryData<string, string, byte[]> Accepted => new()
    {
        { "BOOL", "true", [1] },
        { "BOOL", "false", [0] },
        { "BOOL", "1", [1] },
        { "BOOL", "0", [0] },
        { "UINT8", "0", [0] },
        { "UINT8", "255", [255] },
        { "INT8", "-128", TestBody.Bytes<sbyte>(-128) },
        { "INT8", "127", TestBody.Bytes<sbyte>(127) },
        { "UINT16", "65535", TestBody.Bytes<ushort>(65535) },
        { "INT16", "-32768", TestBody.Bytes<short>(-32768) },
        { "UINT32", "4294967295", TestBody.Bytes(uint.MaxValue) },
        { "INT32", "-2147483648", TestBody.Bytes(int.MinValue) },
        { "UINT64", "18446744073709551615", TestBody.Bytes(ulong.MaxValue) },
        { "INT64", "-9223372036854775808", TestBody.Bytes(long.MinValue) },
        { "INT64", "9223372036854775807", TestBody.Bytes(long.MaxValue) },
        { "FP32", "3.4028235e38", TestBody.Bytes(float.MaxValue) },
        { "FP32", "-0", TestBody.Bytes(-0f) },
        { "FP32", "1e-46", TestBody.Bytes(0f) },
        { "FP32", "\"Infinity\"", TestBody.Bytes(float.PositiveInfinity) },
        { "FP32", "\"-Infinity\"", TestBody.Bytes(float.NegativeInfinity) },
        { "FP32", "\"inf\"", TestBody.Bytes(float.PositiveInfinity) },
        { "FP32", "\"-inf\"", TestBody.Bytes(float.NegativeInfinity) },
        { "FP64", "1.7976931348623157e308", TestBody.Bytes(double.MaxValue) },
        { "FP64", "0.1", TestBody.Bytes(0.1) },
        { "FP64", "\"-Infinity\"", TestBody.Bytes(double.NegativeInfinity) },

        // Half: 65504 = 0x7BFF is the largest finite value; 65519 still rounds down to it.
        { "FP16", "65504", TestBody.Bytes<ushort>(0x7BFF) },
        { "FP16", "65519", TestBody.Bytes<ushort>(0x7BFF) },
        { "FP16", "-65504", TestBody.Bytes<ushort>(0xFBFF) },
        { "FP16", "6e-8", TestBody.Bytes<ushort>(0x0001) },
        { "FP16", "\"Infinity\"", TestBody.Bytes<ushort>(0x7C00) },
        { "FP16", "\"-Infinity\"", TestBody.Bytes<ushort>(0xFC00) },

        // bfloat16 rounds to nearest, ties to even: 1.00390625 is the tie between 0x3F80 and 0x3F81,
        // 1.0039065 a few float ulps above it.
        { "BF16", "1", TestBody.Bytes<ushort>(0x3F80) },
        { "BF16", "1.00390625", TestBody.Bytes<ushort>(0x3F80) },
        { "BF16", "1.01171875", TestBody.Bytes<ushort>(0x3F82) },
        { "BF16", "1.0039065", TestBody.Bytes<ushort>(0x3F81) },
        { "BF16", "0.1", TestBody.Bytes<ushort>(0x3DCD) },
        { "BF16", "3.3895313892515355e38", TestBody.Bytes<ushort>(0x7F7F) },
        { "BF16", "\"-Infinity\"", TestBody.Bytes<ushort>(0xFF80) },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void AcceptsAndEncodes(string datatype, string token, byte[] expected)
    {
        Assert.True(TryParse(datatype, token, out var bytes));

        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("BOOL", "2")]
    [InlineData("BOOL", "-1")]
    [InlineData("BOOL", "0.0")]
    [InlineData("BOOL", "\"true\"")]
    [InlineData("BOOL", "null")]
    [InlineData("UINT8", "256")]
    [InlineData("UINT8", "-1")]
    [InlineData("UINT8", "1.0")]
    [InlineData("UINT8", "\"1\"")]
    [InlineData("UINT8", "true")]
    [InlineData("INT8", "128")]
    [InlineData("INT8", "-129")]
    [InlineData("UINT16", "65536")]
    [InlineData("INT16", "32768")]
    [InlineData("UINT32", "-1")]
    [InlineData("UINT32", "4294967296")]
    [InlineData("INT32", "-2147483649")]
    [InlineData("INT32", "1.5")]
    [InlineData("UINT64", "18446744073709551616")]
    [InlineData("INT64", "-9223372036854775809")]
    [InlineData("INT64", "[]")]
    [InlineData("FP32", "3.5e38")]
    [InlineData("FP32", "\"nan\"")]
    [InlineData("FP32", "\"+Infinity\"")]
    [InlineData("FP32", "\"1\"")]
    [InlineData("FP32", "false")]
    [InlineData("FP32", "null")]
    [InlineData("FP64", "1.8e308")]
    [InlineData("FP64", "\"\"")]
    [InlineData("FP16", "65520")]
    [InlineData("FP16", "-1e5")]
    [InlineData("FP16", "\"NAN\"")]
    [InlineData("BF16", "1e39")]
    [InlineData("BF16", "\"Inf\"")]
    public void Rejects(string datatype, string token)
    {
        Assert.False(TryParse(datatype, token, out _));
    }

    [Theory]
    [InlineData("FP32")]
    [InlineData("FP64")]
    [InlineData("FP16")]
    [InlineData("BF16")]
    public void NaNStringIsANaN(string datatype)
    {
        Assert.True(TryParse(datatype, "\"NaN\"", out var bytes));

        var isNaN = datatype switch
        {
            "FP32" => float.IsNaN(MemoryMarshal.Read<float>(bytes)),
            "FP64" => double.IsNaN(MemoryMarshal.Read<double>(bytes)),
            "FP16" => Half.IsNaN(MemoryMarshal.Read<Half>(bytes)),
            _ => float.IsNaN(BitConverter.UInt32BitsToSingle((uint)MemoryMarshal.Read<ushort>(bytes) << 16)),
        };
        Assert.True(isNaN);
    }

    private static bool TryParse(string datatype, string token, out byte[] bytes) => datatype switch
    {
        "BOOL" => Run<byte, ElementParsers.Bool>(token, out bytes),
        "UINT8" => Run<byte, ElementParsers.UInt8>(token, out bytes),
        "INT8" => Run<sbyte, ElementParsers.Int8>(token, out bytes),
        "UINT16" => Run<ushort, ElementParsers.UInt16>(token, out bytes),
        "INT16" => Run<short, ElementParsers.Int16>(token, out bytes),
        "UINT32" => Run<uint, ElementParsers.UInt32>(token, out bytes),
        "INT32" => Run<int, ElementParsers.Int32>(token, out bytes),
        "UINT64" => Run<ulong, ElementParsers.UInt64>(token, out bytes),
        "INT64" => Run<long, ElementParsers.Int64>(token, out bytes),
        "FP16" => Run<Half, ElementParsers.Float16>(token, out bytes),
        "BF16" => Run<ushort, ElementParsers.BFloat16>(token, out bytes),
        "FP32" => Run<float, ElementParsers.Float32>(token, out bytes),
        "FP64" => Run<double, ElementParsers.Float64>(token, out bytes),
        _ => throw new ArgumentOutOfRangeException(nameof(datatype), datatype, null),
    };

    private static bool Run<T, TParser>(string token, out byte[] bytes)
        where T : unmanaged
        where TParser : struct, IElementParser<T>
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(token));
        Assert.True(reader.Read());
        var ok = TParser.TryParse(ref reader, out var value);
        bytes = TestBody.Bytes(value);
        return ok;
    }
}
