using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Inference.Benchmarks.InferPath;

/// <summary>Hands the endpoint the response sink as Response.BodyWriter.</summary>
internal sealed class BenchResponseBodyFeature(ResponseSink sink) : IHttpResponseBodyFeature
{
    public Stream Stream => throw new NotSupportedException("the endpoint writes through the pipe");

    public PipeWriter Writer => sink;

    public Task CompleteAsync() => Task.CompletedTask;

    public void DisableBuffering()
    {
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
