using System.Buffers;
using System.Text;
using Inference.Host.Protocol.Oip;
using Inference.Host.Tests.Execution;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Protocol.Oip;

/// <summary>The header writer reuses one JSON writer per thread: each header must still be exactly its own.</summary>
public sealed class InferResponseWriterReuseTests
{
    public InferResponseWriterReuseTests() => _ = OrtTestEnvironment.Instance;

    [Fact]
    public void HeadersWrittenOneAfterAnotherAreEachExactlyTheirOwn()
    {
        using var big = OrtValue.CreateTensor<float>(TensorElementType.Float, [3], new[] { 1f, 2f, 3f });
        using var small = OrtValue.CreateTensor<long>(TensorElementType.Int64, [1], new[] { 7L });

        var first = Header("a-long-model-name", "12", "id-1", new OutputTensor("first", big, binary: false));
        var second = Header("m", "1", null, new OutputTensor("s", small, binary: true));
        var third = Header("a-long-model-name", "12", "id-1", new OutputTensor("first", big, binary: false));

        Assert.Equal("""{"model_name":"a-long-model-name","model_version":"12","id":"id-1","outputs":[{"name":"first","datatype":"FP32","shape":[3],"data":[1,2,3]}]}""", first);
        Assert.Equal("""{"model_name":"m","model_version":"1","outputs":[{"name":"s","datatype":"INT64","shape":[1],"parameters":{"binary_data_size":8}}]}""", second);
        Assert.Equal(first, third);
    }

    [Fact]
    public void HeadersWrittenOnManyThreadsAtOnceDoNotMix()
    {
        using var value = OrtValue.CreateTensor<int>(TensorElementType.Int32, [2], new[] { 4, 5 });
        var failures = 0;
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var header = Header($"model{t}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), null, new OutputTensor("x", value, binary: false));
                if (header != $$"""{"model_name":"model{{t}}","model_version":"{{i}}","outputs":[{"name":"x","datatype":"INT32","shape":[2],"data":[4,5]}]}""")
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(0, failures);
    }

    private static string Header(string model, string version, string? id, OutputTensor output)
    {
        var buffer = new ArrayBufferWriter<byte>();
        InferResponseWriter.WriteHeader(buffer, model, version, id, [output]);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
