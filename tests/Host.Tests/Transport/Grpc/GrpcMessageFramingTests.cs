using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using Inference.Host.Errors;
using Inference.Host.Protocol.Grpc;
using Inference.Host.Transport.Grpc;

namespace Inference.Host.Tests.Transport.Grpc;

/// <summary>The message reader and writer over pipes: prefixes, split arrivals, the size limit, compression, cut-offs.</summary>
public sealed class GrpcMessageFramingTests
{
    private static readonly ModelReadyRequest Message = new() { Name = "simple", Version = "3" };

    [Fact]
    public async Task WrittenMessagesReadBackInOrderThenTheEnd()
    {
        var pipe = new Pipe();
        GrpcMessageWriter.Write(pipe.Writer, Message);
        GrpcMessageWriter.Write(pipe.Writer, new ModelReadyRequest());
        await pipe.Writer.CompleteAsync();

        var reader = new GrpcMessageReader(pipe.Reader, 1024, null);

        Assert.Equal(Message, await reader.ReadAsync(ModelReadyRequest.Parser, default));
        Assert.Equal(new ModelReadyRequest(), await reader.ReadAsync(ModelReadyRequest.Parser, default));
        Assert.Null(await reader.ReadAsync(ModelReadyRequest.Parser, default));
    }

    [Fact]
    public async Task TheWriterPutsTheFiveBytePrefixFirst()
    {
        var pipe = new Pipe();
        GrpcMessageWriter.Write(pipe.Writer, Message);
        await pipe.Writer.FlushAsync();
        var read = await pipe.Reader.ReadAsync();
        var bytes = read.Buffer.ToArray();

        Assert.Equal(0, bytes[0]);
        Assert.Equal((uint)Message.CalculateSize(), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)));
        Assert.Equal(Message.ToByteArray(), bytes[5..]);
    }

    [Fact]
    public async Task AMessageArrivingByteByByteIsReadWhole()
    {
        var pipe = new Pipe();
        var reader = new GrpcMessageReader(pipe.Reader, 1024, null);
        var reading = reader.ReadAsync(ModelReadyRequest.Parser, default).AsTask();
        foreach (var b in Frame(Message.ToByteArray()))
        {
            Assert.False(reading.IsCompleted);
            await pipe.Writer.WriteAsync(new[] { b });
        }

        Assert.Equal(Message, await reading.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ALengthOverTheLimitIsRefusedFromThePrefixAlone()
    {
        var pipe = new Pipe();
        var prefix = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), 4097);
        await pipe.Writer.WriteAsync(prefix); // and nothing more: the body never has to arrive

        var e = await Assert.ThrowsAsync<GrpcException>(() => new GrpcMessageReader(pipe.Reader, 4096, null).ReadAsync(ModelReadyRequest.Parser, default).AsTask());

        Assert.Equal(GrpcStatusCode.ResourceExhausted, e.Status.Code);
        Assert.Equal("the request message is 4097 bytes, over the limit of 4096 bytes (Host:GrpcMaxMessageBytes)", e.Message);
    }

    [Theory]
    [InlineData(1, "gzip", GrpcStatusCode.Unimplemented, "grpc-encoding 'gzip' is not supported")]
    [InlineData(1, null, GrpcStatusCode.Internal, "marked compressed but the request has no grpc-encoding")]
    [InlineData(1, "identity", GrpcStatusCode.Internal, "marked compressed but the request has no grpc-encoding")]
    [InlineData(7, null, GrpcStatusCode.Internal, "compressed flag is 7")]
    public async Task CompressedOrOddFlagsAreRefused(byte flag, string? encoding, GrpcStatusCode code, string text)
    {
        var pipe = new Pipe();
        var framed = Frame(Message.ToByteArray());
        framed[0] = flag;
        await pipe.Writer.WriteAsync(framed);

        var e = await Assert.ThrowsAsync<GrpcException>(() => new GrpcMessageReader(pipe.Reader, 1024, encoding).ReadAsync(ModelReadyRequest.Parser, default).AsTask());

        Assert.Equal(code, e.Status.Code);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreamThatEndsInsideAMessageIsInternal()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frame(Message.ToByteArray())[..7]);
        await pipe.Writer.CompleteAsync();

        var e = await Assert.ThrowsAsync<GrpcException>(() => new GrpcMessageReader(pipe.Reader, 1024, null).ReadAsync(ModelReadyRequest.Parser, default).AsTask());

        Assert.Equal(GrpcStatusCode.Internal, e.Status.Code);
        Assert.Equal("the request ended inside a message (7 bytes of it arrived)", e.Message);
    }

    [Fact]
    public async Task BytesThatAreNotTheMessageAreInternal()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frame([0xFF, 0xFF, 0xFF]));
        await pipe.Writer.CompleteAsync();

        var e = await Assert.ThrowsAsync<GrpcException>(() => new GrpcMessageReader(pipe.Reader, 1024, null).ReadAsync(ModelReadyRequest.Parser, default).AsTask());

        Assert.Equal(GrpcStatusCode.Internal, e.Status.Code);
        Assert.StartsWith("the request message is not a valid ModelReadyRequest", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUnaryReadWantsExactlyOneMessage()
    {
        var none = new Pipe();
        await none.Writer.CompleteAsync();
        var e = await Assert.ThrowsAsync<GrpcException>(() => new GrpcMessageReader(none.Reader, 1024, null).ReadSingleAsync(ModelReadyRequest.Parser, default).AsTask());
        Assert.Equal("the request of a unary call has no message", e.Message);

        var one = new Pipe();
        await one.Writer.WriteAsync(Frame(Message.ToByteArray()));
        await one.Writer.CompleteAsync();
        Assert.Equal(Message, await new GrpcMessageReader(one.Reader, 1024, null).ReadSingleAsync(ModelReadyRequest.Parser, default));
    }

    [Fact]
    public async Task CancellingAPendingReadThrows()
    {
        var pipe = new Pipe();
        using var cancel = new CancellationTokenSource();
        var reading = new GrpcMessageReader(pipe.Reader, 1024, null).ReadAsync(ModelReadyRequest.Parser, cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
    }

    private static byte[] Frame(byte[] payload)
    {
        var framed = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(framed, 5);
        return framed;
    }
}
