using System.Buffers.Binary;
using System.Text;
using Inference.Host.Buffers;
using Inference.Host.Configuration;
using Inference.Host.Execution;
using Inference.Host.Observability;
using Inference.Host.Registry;
using Inference.Host.Transport.Http;
using Inference.Onnx.Authoring;
using Inference.Onnx.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Inference.Benchmarks.InferPath;

/// <summary>
/// The sample model "simple" (two FP32 [1,16] inputs, sum and difference out) in a registry behind
/// the real <see cref="InferEndpoint"/>, and one binary request as Triton's Python client sends it:
/// both inputs as binary_data_size, both outputs asked for with binary_data.
/// </summary>
internal sealed class InferPathFixture : IDisposable
{
    public const string ModelName = "simple";

    private readonly ModelRegistry registry = new();

    public InferPathFixture()
    {
        var session = InferenceSession.Create(BenchmarkOrt.Environment, SampleModels.Simple(), BenchmarkOrt.SessionOptions);
        Model = new OnnxModel(ModelName, 1, session, new ModelStatistics(TimeProvider.System));
        // With an admission gate, as the host gives every model: the figure includes admission.
        registry.Set(new ModelVersionEntry(ModelName, 1, ModelState.Ready, null, Model, new Inference.Host.Admission.AdmissionGate(new Inference.Host.Admission.LoadLimits(4, 64))));
        Endpoint = new InferEndpoint(registry, Pool, Options.Create(new ServerOptions()), NullLogger<InferEndpoint>.Instance);

        var header = Encoding.UTF8.GetBytes("""
            {"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"FP32","parameters":{"binary_data_size":64}},{"name":"INPUT1","shape":[1,16],"datatype":"FP32","parameters":{"binary_data_size":64}}],"outputs":[{"name":"OUTPUT0","parameters":{"binary_data":true}},{"name":"OUTPUT1","parameters":{"binary_data":true}}]}
            """);
        HeaderLength = header.Length;
        Wire = new byte[header.Length + 128];
        header.CopyTo(Wire, 0);
        for (var i = 0; i < 16; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(Wire.AsSpan(header.Length + (4 * i)), i);
            BinaryPrimitives.WriteSingleLittleEndian(Wire.AsSpan(header.Length + 64 + (4 * i)), 1);
        }

        Http = new ReusedHttpContext(ModelName, Wire, HeaderLength);
    }

    public PinnedBufferPool Pool { get; } = new();

    public OnnxModel Model { get; }

    public InferEndpoint Endpoint { get; }

    public byte[] Wire { get; }

    public int HeaderLength { get; }

    public ReusedHttpContext Http { get; }

    /// <summary>One request through the real endpoint; throws unless it answered 200 with the expected body.</summary>
    public void Check()
    {
        Http.Reset();
        var task = Endpoint.HandleAsync(Http.Context);
        if (!task.IsCompletedSuccessfully || Http.Context.Response.StatusCode != 200)
        {
            throw new InvalidOperationException($"the endpoint answered {Http.Context.Response.StatusCode}: {Encoding.UTF8.GetString(Http.Sink.Written)}");
        }

        var written = Http.Sink.Written;
        var jsonLength = int.Parse(Http.Context.Response.Headers[InferEndpoint.HeaderLengthHeader]!, System.Globalization.CultureInfo.InvariantCulture);
        var sum = written[jsonLength..];
        if (sum.Length != 128 || BinaryPrimitives.ReadSingleLittleEndian(sum[(4 * 15)..]) != 16f || BinaryPrimitives.ReadSingleLittleEndian(sum[(64 + (4 * 15))..]) != 14f)
        {
            throw new InvalidOperationException("the response's binary outputs are not INPUT0 + INPUT1 and INPUT0 - INPUT1");
        }
    }

    public void Dispose() => registry.Dispose();
}
