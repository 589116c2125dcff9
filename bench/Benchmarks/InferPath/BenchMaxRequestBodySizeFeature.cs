using Microsoft.AspNetCore.Http.Features;

namespace Inference.Benchmarks.InferPath;

/// <summary>Kestrel offers this feature; the body reader sets the limit through it.</summary>
internal sealed class BenchMaxRequestBodySizeFeature : IHttpMaxRequestBodySizeFeature
{
    public bool IsReadOnly => false;

    public long? MaxRequestBodySize { get; set; }
}
