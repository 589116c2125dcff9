using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Inference.Host.Protocol.Grpc;
using static Inference.Host.Protocol.Grpc.ModelInferRequest.Types;

namespace Inference.GrpcBench;

/// <summary>
/// The same request for the sample <c>simple</c> model on both protocols, built once: two FP32 [1,16]
/// inputs as raw bytes, both outputs asked back raw. gRPC: a framed ModelInferRequest with
/// raw_input_contents; HTTP: the binary tensor extension (JSON header + 128 bytes).
/// </summary>
internal static class SimpleRequests
{
    private static readonly byte[] Tensor = MemoryOf(Enumerable.Range(0, 16).Select(i => (float)i).ToArray());

    public static byte[] GrpcFrame()
    {
        var request = new ModelInferRequest { ModelName = "simple" };
        request.Inputs.Add(new InferInputTensor { Name = "INPUT0", Datatype = "FP32", Shape = { 1, 16 } });
        request.Inputs.Add(new InferInputTensor { Name = "INPUT1", Datatype = "FP32", Shape = { 1, 16 } });
        request.RawInputContents.Add(ByteString.CopyFrom(Tensor));
        request.RawInputContents.Add(ByteString.CopyFrom(Tensor));
        var payload = request.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static (byte[] Body, string HeaderLength) HttpBinary()
    {
        var header = Encoding.UTF8.GetBytes(
            """{"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"FP32","parameters":{"binary_data_size":64}},{"name":"INPUT1","shape":[1,16],"datatype":"FP32","parameters":{"binary_data_size":64}}],"parameters":{"binary_data_output":true}}""");
        return ([.. header, .. Tensor, .. Tensor], header.Length.ToString(CultureInfo.InvariantCulture));
    }

    private static byte[] MemoryOf(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
