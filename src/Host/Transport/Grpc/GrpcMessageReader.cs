using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using Inference.Host.Errors;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// Reads length-prefixed gRPC messages from a request body, as Grpc.AspNetCore.Server does: a message
/// is parsed straight from the pipe's buffers once all of it is there (examined, not consumed, until
/// then, so Kestrel's flow control keeps the client sending). The length is checked against the limit
/// as soon as the 5-byte prefix arrives, before the message is buffered. Compression is not supported:
/// a compressed message is refused with UNIMPLEMENTED, naming the encoding.
/// </summary>
public sealed class GrpcMessageReader(PipeReader input, int maxMessageBytes, string? encoding)
{
    public int MaxMessageBytes => maxMessageBytes;

    /// <summary>The next message, or null when the client has closed its side and nothing is left.</summary>
    public async ValueTask<T?> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var complete = false;
            try
            {
                if (result.IsCanceled)
                {
                    throw new OperationCanceledException("reading the request was cancelled", cancellationToken);
                }

                if (TryReadMessage(ref buffer, out var payload))
                {
                    complete = true;
                    // Parsed before AdvanceTo below: after it the pipe may reuse these buffers.
                    return Parse(parser, payload);
                }

                if (result.IsCompleted)
                {
                    if (buffer.IsEmpty)
                    {
                        return null;
                    }

                    throw new GrpcException(GrpcStatusCode.Internal, $"the request ended inside a message ({buffer.Length} bytes of it arrived)");
                }
            }
            finally
            {
                if (complete)
                {
                    input.AdvanceTo(buffer.Start);
                }
                else
                {
                    // Examined to the end: the next read waits for more data rather than spinning.
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
    }

    /// <summary>The one message of a unary call; none, or more than one, ends the call.</summary>
    public async ValueTask<T> ReadSingleAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        var message = await ReadAsync(parser, cancellationToken)
            ?? throw new GrpcException(GrpcStatusCode.Internal, "the request of a unary call has no message");
        if (await ReadAsync(parser, cancellationToken) is not null)
        {
            throw new GrpcException(GrpcStatusCode.Internal, "the request of a unary call has more than one message");
        }

        return message;
    }

    private bool TryReadMessage(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < GrpcProtocol.MessagePrefixSize)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[GrpcProtocol.MessagePrefixSize];
        buffer.Slice(0, GrpcProtocol.MessagePrefixSize).CopyTo(prefix);
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        if (length > (uint)maxMessageBytes)
        {
            throw new GrpcException(GrpcStatusCode.ResourceExhausted, $"the request message is {length} bytes, over the limit of {maxMessageBytes} bytes (Host:GrpcMaxMessageBytes)");
        }

        CheckCompression(prefix[0]);
        if (buffer.Length < GrpcProtocol.MessagePrefixSize + length)
        {
            return false;
        }

        payload = buffer.Slice(GrpcProtocol.MessagePrefixSize, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    private void CheckCompression(byte flag)
    {
        switch (flag)
        {
            case 0:
                return;
            case 1 when encoding is null or GrpcProtocol.IdentityEncoding:
                throw new GrpcException(GrpcStatusCode.Internal, "a message is marked compressed but the request has no grpc-encoding (or 'identity')");
            case 1:
                throw new GrpcException(GrpcStatusCode.Unimplemented, $"grpc-encoding '{encoding}' is not supported; send messages uncompressed (supported: identity)");
            default:
                throw new GrpcException(GrpcStatusCode.Internal, $"a message's compressed flag is {flag}; it must be 0 or 1");
        }
    }

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new GrpcException(GrpcStatusCode.Internal, $"the request message is not a valid {typeof(T).Name}: {e.Message}");
        }
    }
}
