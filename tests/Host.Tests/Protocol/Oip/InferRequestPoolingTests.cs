using Inference.Host.Buffers;
using Inference.Host.Errors;
using Inference.Host.Protocol.Oip;
using Inference.Host.Tests.Buffers;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Protocol.Oip;

/// <summary>
/// Requests come from a pool with their inputs, lists and dictionaries: what one request leaves
/// behind must never show in the next, and buffers must go back exactly once. Each test uses a pool
/// of its own so that other tests running in parallel cannot take the object it expects back.
/// </summary>
public sealed class InferRequestPoolingTests
{
    private const string Full = """
        {"id":"first","parameters":{"binary_data_output":true,"priority":3},
         "inputs":[{"name":"X","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":8}},
                   {"name":"Y","shape":[3],"datatype":"INT32","data":[1,2,3]}],
         "outputs":[{"name":"o","parameters":{"binary_data":true}}]}
        """;

    private const string Small = """
        {"inputs":[{"name":"Z","shape":[2],"datatype":"INT64","parameters":{"binary_data_size":16}}]}
        """;

    private readonly PinnedBufferPool pool = new();

    [Fact]
    public void AReusedRequestShowsNothingOfTheOneBefore()
    {
        var requests = InferRequest.NewPool(1);
        var first = Read(TestBody.Create(Full, 5, TestBody.Bytes(1f, 2f)), requests);
        Assert.Equal("first", first.Id);
        Assert.True(first.BinaryDataOutput);
        Assert.Equal(2, first.Inputs.Count);
        Assert.Single(first.Outputs!);
        first.Dispose();

        var body = TestBody.Create(Small, 3, TestBody.Bytes(7L, -7L));
        using var second = Read(body, requests);

        Assert.Same(first, second);
        Assert.Null(second.Id);
        Assert.Empty(second.Parameters);
        Assert.False(second.BinaryDataOutput);
        Assert.Null(second.Outputs);
        var z = Assert.Single(second.Inputs);
        Assert.Equal("Z", z.Name);
        Assert.Equal(TensorElementType.Int64, z.ElementType);
        Assert.Equal(new long[] { 2 }, z.Shape);
        Assert.Same(body.Array, z.Data);
        Assert.Equal(body.BinaryStart, z.DataOffset);
        Assert.Equal(16, z.DataLength);
        Assert.Null(z.Owner);
        Assert.Null(z.Strings);
        Assert.Equal(TestBody.Bytes(7L, -7L), z.DataSpan.ToArray());
    }

    [Fact]
    public void RepeatedNamesAndOutputsTakeTheirNewValues()
    {
        var requests = InferRequest.NewPool(1);
        Read(TestBody.Json("""{"inputs":[{"name":"a","shape":[1],"datatype":"INT32","data":[1]}],"outputs":[{"name":"o","parameters":{"binary_data":true}},{"name":"p"}]}"""), requests).Dispose();

        using var second = Read(TestBody.Json("""{"inputs":[{"name":"b","shape":[1,1],"datatype":"INT32","data":[[2]]}],"outputs":[{"name":"o","parameters":{"binary_data":false}}]}"""), requests);

        var b = Assert.Single(second.Inputs);
        Assert.Equal("b", b.Name);
        Assert.Equal(new long[] { 1, 1 }, b.Shape);
        Assert.Equal(TestBody.Bytes(2), b.DataSpan.ToArray());
        Assert.Equal(new[] { new RequestedOutput("o", false) }, second.Outputs!);
    }

    [Fact]
    public void ARepeatedBinaryRequestDecodesWithoutAllocating()
    {
        var requests = InferRequest.NewPool(1);
        const string json = """
            {"inputs":[{"name":"INPUT0","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":8}},
                       {"name":"INPUT1","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":8}}],
             "outputs":[{"name":"OUTPUT0","parameters":{"binary_data":true}}]}
            """;
        var body = TestBody.Create(json, 0, TestBody.Bytes(1f, 2f), TestBody.Bytes(3f, 4f));
        for (var i = 0; i < 3; i++)
        {
            Read(body, requests).Dispose();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Read(body, requests).Dispose();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1, requests.Created);
    }

    [Fact]
    public void DisposingTwiceGivesTheDecodedBuffersBackOnce()
    {
        var probe = new PoolProbe(count: 2);
        var requests = InferRequest.NewPool(2);
        var body = TestBody.Json("""{"inputs":[{"name":"a","shape":[2],"datatype":"INT32","data":[1,2]},{"name":"b","shape":[1],"datatype":"INT64","data":[3]}]}""");
        var request = InferRequestReader.Read(body.Array, body.JsonOffset, body.JsonLength, body.BinaryLength, probe.Pool, requests);
        var decoded = request.Inputs.Select(i => i.Data).ToArray();

        request.Dispose();
        request.Dispose();

        probe.AssertAllReturned();
        var rented = Enumerable.Range(0, 3).Select(_ => probe.Pool.Rent(PoolProbe.Size)).ToArray();
        Assert.Equal(3, rented.Distinct().Count());
        Assert.All(decoded, d => Assert.Contains(d, rented));
    }

    [Fact]
    public void AFailedReadGivesTheRequestAndItsBuffersBack()
    {
        var probe = new PoolProbe(count: 1);
        var requests = InferRequest.NewPool(1);
        var bad = TestBody.Json("""{"inputs":[{"name":"a","shape":[2],"datatype":"INT32","data":[1,2]},{"name":"b","shape":[1],"datatype":"INT64"}]}""");

        Assert.Throws<InferenceException>(() => InferRequestReader.Read(bad.Array, bad.JsonOffset, bad.JsonLength, bad.BinaryLength, probe.Pool, requests));
        probe.AssertAllReturned();

        var ok = TestBody.Json("""{"inputs":[]}""");
        using var good = InferRequestReader.Read(ok.Array, ok.JsonOffset, ok.JsonLength, ok.BinaryLength, probe.Pool, requests);
        Assert.Empty(good.Inputs);
        Assert.Equal(1, requests.Created);
    }

    private InferRequest Read(TestBody body, ReusePool<InferRequest> requests) =>
        InferRequestReader.Read(body.Array, body.JsonOffset, body.JsonLength, body.BinaryLength, pool, requests);
}
