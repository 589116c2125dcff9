using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// Writes length-prefixed gRPC messages (never compressed) into a response body: the 5-byte prefix,
/// then the message serialized straight into the pipe's buffers.
/// </summary>
public static class GrpcMessageWriter
{
    public static void Write(PipeWriter output, IMessage message)
    {
        var size = message.CalculateSize();
        var prefix = output.GetSpan(GrpcProtocol.MessagePrefixSize);
        prefix[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(prefix[1..], (uint)size);
        output.Advance(GrpcProtocol.MessagePrefixSize);
        message.WriteTo(output);
    }
}
