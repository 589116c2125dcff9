using System.Buffers;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Inference.Benchmarks.InferPath;
using Inference.Host.Buffers;
using Inference.Host.Execution;
using Inference.Host.Protocol.Oip;
using Inference.Host.Transport.Http;
using Inference.Onnx.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Inference.Benchmarks;

/// <summary>
/// One binary OIP request (POST /v2/models/simple/infer with Inference-Header-Content-Length) through
/// the host's own code, everything but the socket: <see cref="Endpoint"/> is the real
/// InferEndpoint.HandleAsync on a reused DefaultHttpContext whose body pipe replays fixed bytes and
/// whose response pipe is emptied per request. <see cref="AspNetOnly"/> makes the same HttpContext
/// calls with none of the host's code, so Endpoint minus AspNetOnly is the host's own share. The
/// stage benchmarks split that share: body read + decode, bind, run, encode (figures in bench/README.md).
/// </summary>
[MemoryDiagnoser]
[InProcess] // one ORT environment and one model for all methods; MemoryDiagnoser counts in process
public class InferPathBenchmarks
{
    private InferPathFixture fixture = null!;
    private HttpContext context = null!;
    private byte[] responseBody = null!;
    private string responseHeaderLength = null!;
    private InferRequest keptRequest = null!;
    private RequestBody keptBody = null!;
    private BoundInputs keptBound = null!;
    private OrtValue?[] keptResults = null!;
    private OrtRunOptions runOptions = null!;
    private ArrayBufferWriter<byte> sink = null!;

    [GlobalSetup]
    public void Setup()
    {
        fixture = new InferPathFixture();
        fixture.Check();
        context = fixture.Http.Context;
        responseBody = fixture.Http.Sink.Written.ToArray();
        responseHeaderLength = context.Response.Headers[InferEndpoint.HeaderLengthHeader]!;

        // Inputs for the stages that start mid-path: one request read, decoded, bound and run, kept.
        fixture.Http.Reset();
        keptBody = RequestBodyReader.ReadAsync(context.Request, fixture.HeaderLength, long.MaxValue, fixture.Pool, default).GetAwaiter().GetResult();
        keptRequest = InferRequestReader.Read(keptBody.Array, keptBody.Offset, fixture.HeaderLength, keptBody.Length - fixture.HeaderLength, fixture.Pool);
        keptBound = InputBinder.Bind(fixture.Model, keptRequest);
        keptResults = new OrtValue?[keptBound.OutputIndices.Length];
        runOptions = new OrtRunOptions();
        fixture.Model.Session.Run(keptBound.InputIndices, keptBound.Values, keptBound.OutputIndices, keptResults, runOptions);
        sink = new ArrayBufferWriter<byte>(64 * 1024);
    }

    /// <summary>The whole request through InferEndpoint.HandleAsync.</summary>
    [Benchmark(Baseline = true)]
    public int Endpoint()
    {
        fixture.Http.Reset();
        fixture.Endpoint.HandleAsync(context).GetAwaiter().GetResult();
        return context.Response.StatusCode;
    }

    /// <summary>
    /// The same request with its body arriving after the headers: the endpoint's awaits suspend, so
    /// the async state machines on the way are boxed (the runtime's price for a real wait).
    /// </summary>
    [Benchmark]
    public int EndpointBodyLate()
    {
        var http = fixture.Http;
        http.LateBody = true;
        http.Reset();
        var task = fixture.Endpoint.HandleAsync(context);
        http.BodyArrives();
        task.GetAwaiter().GetResult();
        http.LateBody = false;
        return context.Response.StatusCode;
    }

    /// <summary>ASP.NET's share: the HttpContext calls the endpoint makes, with the host's work left out (completed ValueTasks are read in place, not turned into Tasks).</summary>
    [Benchmark]
    public int AspNetOnly()
    {
        fixture.Http.Reset();
        var request = context.Request;
        _ = (string)request.RouteValues["model"]!;
        _ = request.RouteValues["version"] as string;
        _ = request.Headers.TryGetValue(InferEndpoint.HeaderLengthHeader, out var values)
            && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out _);
        if (request.ContentLength is not null && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = long.MaxValue;
        }

        var reader = request.BodyReader;
        var read = reader.ReadAsync(context.RequestAborted).GetAwaiter().GetResult();
        reader.AdvanceTo(read.Buffer.End);

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = responseBody.Length;
        response.ContentType = "application/octet-stream";
        response.Headers[InferEndpoint.HeaderLengthHeader] = responseHeaderLength;
        response.BodyWriter.Write(responseBody);
        _ = response.BodyWriter.FlushAsync(context.RequestAborted).GetAwaiter().GetResult();
        return response.StatusCode;
    }

    /// <summary>Stage 1: the body into a pooled pinned buffer, then the JSON header and binary framing decoded.</summary>
    [Benchmark]
    public int ReadAndDecode()
    {
        fixture.Http.Reset();
        using var body = RequestBodyReader.ReadAsync(context.Request, fixture.HeaderLength, long.MaxValue, fixture.Pool, context.RequestAborted).GetAwaiter().GetResult();
        using var request = InferRequestReader.Read(body.Array, body.Offset, fixture.HeaderLength, body.Length - fixture.HeaderLength, fixture.Pool);
        return request.Inputs.Count;
    }

    /// <summary>Stage 2: checking the decoded request against the model and wrapping its buffers as OrtValues.</summary>
    [Benchmark]
    public int Bind()
    {
        using var bound = InputBinder.Bind(fixture.Model, keptRequest);
        return bound.Values.Length;
    }

    /// <summary>Stage 3: what InferEndpoint.Run does around the ORT call (results array, abort registration, ORT's outputs wrapped, then released).</summary>
    [Benchmark]
    public int Run()
    {
        var results = new OrtValue?[keptBound.OutputIndices.Length];
        using (context.RequestAborted.Register(static s => ((OrtRunOptions)s!).Terminate(), runOptions))
        {
            fixture.Model.Session.Run(keptBound.InputIndices, keptBound.Values, keptBound.OutputIndices, results, runOptions);
        }

        foreach (var r in results)
        {
            r?.Dispose();
        }

        return results.Length;
    }

    /// <summary>Stage 4: the response as InferEndpoint writes it (outputs described, header JSON, binary from ORT's memory), into a reused buffer.</summary>
    [Benchmark]
    public int Encode()
    {
        var outputs = new OutputTensor[keptResults.Length];
        for (var i = 0; i < keptResults.Length; i++)
        {
            outputs[i] = new OutputTensor(fixture.Model.Outputs[keptBound.OutputIndices[i]].Name, keptResults[i]!, keptBound.BinaryOutputs[i]);
        }

        using var header = PooledBufferWriter.Rent();
        InferResponseWriter.WriteHeader(header, fixture.Model.Name, fixture.Model.VersionText, keptRequest.Id, outputs);
        var headerLength = header.WrittenCount.ToString(CultureInfo.InvariantCulture);
        sink.ResetWrittenCount();
        sink.Write(header.WrittenSpan);
        foreach (var output in outputs)
        {
            InferResponseWriter.WriteBinary(sink, output);
        }

        return sink.WrittenCount + headerLength.Length;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var r in keptResults)
        {
            r?.Dispose();
        }

        keptBound.Dispose();
        keptRequest.Dispose();
        keptBody.Dispose();
        runOptions.Dispose();
        fixture.Dispose();
    }
}
