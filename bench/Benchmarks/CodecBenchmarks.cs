using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Attributes;
using Inference.Host.Buffers;
using Inference.Host.Protocol.Oip;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Benchmarks;

/// <summary>
/// The OIP codecs on a 1 MiB FP32 tensor (262,144 elements). Binary decode = copying the body off
/// the wire into the pooled pinned buffer plus parsing the header (the tensor itself is then used in
/// place); binary encode = writing ORT's output bytes to the response buffer. JSON decode/encode =
/// the same tensor as JSON text. Throughput = bytes / mean time (figures in bench/README.md).
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private const int Elements = 256 * 1024;
    private readonly PinnedBufferPool pool = new();
    private byte[] binaryWire = null!;
    private int binaryHeaderLength;
    private byte[] jsonWire = null!;
    private byte[] jsonWire17 = null!;
    private byte[] receiveBuffer = null!;
    private OrtValue output = null!;
    private OutputTensor binaryOutput = null!;
    private OutputTensor jsonOutput = null!;
    private ArrayBufferWriter<byte> responseBuffer = null!;

    /// <summary>Bytes of JSON text in the JSON request (for MB/s).</summary>
    public int JsonBytes => jsonWire.Length;

    [GlobalSetup]
    public void Setup()
    {
        _ = BenchmarkOrt.Environment;
        var values = new float[Elements];
        var random = new Random(42);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        var header = Encoding.UTF8.GetBytes($"{{\"inputs\":[{{\"name\":\"x\",\"shape\":[1,{Elements}],\"datatype\":\"FP32\",\"parameters\":{{\"binary_data_size\":{Elements * 4}}}}}]}}");
        binaryHeaderLength = header.Length;
        binaryWire = [.. header, .. MemoryMarshal.AsBytes(values.AsSpan())];

        var json = new StringBuilder($"{{\"inputs\":[{{\"name\":\"x\",\"shape\":[1,{Elements}],\"datatype\":\"FP32\",\"data\":[");
        for (var i = 0; i < values.Length; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(values[i].ToString("R", CultureInfo.InvariantCulture));
        }

        jsonWire = Encoding.UTF8.GetBytes(json.Append("]}]}").ToString());

        // The same values as Python's json and numpy print them: doubles with 16-17 digits.
        var json17 = new StringBuilder($"{{\"inputs\":[{{\"name\":\"x\",\"shape\":[1,{Elements}],\"datatype\":\"FP32\",\"data\":[");
        for (var i = 0; i < values.Length; i++)
        {
            json17.Append(i == 0 ? "" : ",").Append((random.NextDouble() * 2 - 1).ToString("R", CultureInfo.InvariantCulture));
        }

        jsonWire17 = Encoding.UTF8.GetBytes(json17.Append("]}]}").ToString());
        Console.WriteLine($"// JSON request: {jsonWire.Length} bytes (shortest float digits), {jsonWire17.Length} bytes (17-digit doubles) for {Elements} FP32 values");
        receiveBuffer = GC.AllocateUninitializedArray<byte>(Math.Max(binaryWire.Length, jsonWire17.Length) + 64, pinned: true);

        output = OrtValue.CreateTensor<float>(TensorElementType.Float, [1, Elements], GC.AllocateArray<float>(Elements, pinned: true));
        values.CopyTo(output.GetData<float>());
        binaryOutput = new OutputTensor("y", output, binary: true);
        jsonOutput = new OutputTensor("y", output, binary: false);
        responseBuffer = new ArrayBufferWriter<byte>(16 * 1024 * 1024);
    }

    [Benchmark]
    public int BinaryDecode1MiB()
    {
        // What RequestBodyReader does with bytes off the socket, then the header parse.
        binaryWire.AsSpan().CopyTo(receiveBuffer);
        using var request = InferRequestReader.Read(receiveBuffer, 0, binaryHeaderLength, binaryWire.Length - binaryHeaderLength, pool);
        return request.Inputs[0].DataLength;
    }

    [Benchmark]
    public int BinaryEncode1MiB()
    {
        responseBuffer.ResetWrittenCount();
        InferResponseWriter.WriteBinary(responseBuffer, binaryOutput);
        return responseBuffer.WrittenCount;
    }

    [Benchmark]
    public int JsonDecodeFp32()
    {
        // As with the binary body: the bytes are copied off the wire first (the reader may overwrite
        // the numbers it has decoded), and the copy is part of the measured cost.
        jsonWire.AsSpan().CopyTo(receiveBuffer);
        using var request = InferRequestReader.Read(receiveBuffer, 0, jsonWire.Length, 0, pool);
        return request.Inputs[0].DataLength;
    }

    [Benchmark]
    public int JsonDecodeFp32From17Digits()
    {
        jsonWire17.AsSpan().CopyTo(receiveBuffer);
        using var request = InferRequestReader.Read(receiveBuffer, 0, jsonWire17.Length, 0, pool);
        return request.Inputs[0].DataLength;
    }

    [Benchmark]
    public int JsonEncodeFp32()
    {
        responseBuffer.ResetWrittenCount();
        InferResponseWriter.WriteHeader(responseBuffer, "m", "1", null, [jsonOutput]);
        return responseBuffer.WrittenCount;
    }

    [GlobalCleanup]
    public void Cleanup() => output.Dispose();
}
