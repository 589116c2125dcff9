using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Inference.Benchmarks.InferPath;

/// <summary>Hands the endpoint the fixed body pipe as Request.BodyReader.</summary>
internal sealed class BenchRequestBodyFeature(PipeReader reader) : IRequestBodyPipeFeature
{
    public PipeReader Reader { get; } = reader;
}
