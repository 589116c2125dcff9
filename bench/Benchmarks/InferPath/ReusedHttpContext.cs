using System.Globalization;
using Inference.Host.Transport.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Inference.Benchmarks.InferPath;

/// <summary>
/// One DefaultHttpContext for a POST /v2/models/{model}/infer with a binary body, reused for every
/// request the way Kestrel reuses its per-connection context: body rewound, response emptied.
/// </summary>
internal sealed class ReusedHttpContext
{
    private readonly FixedBodyReader body;
    private readonly HttpResponseFeature response = new();

    public ReusedHttpContext(string model, byte[] wire, int headerLength)
    {
        body = new FixedBodyReader(wire);
        Sink = new ResponseSink(64 * 1024);
        var request = new HttpRequestFeature { Method = "POST", Path = $"/v2/models/{model}/infer", Protocol = "HTTP/1.1" };
        request.Headers.ContentLength = wire.Length;
        request.Headers.ContentType = "application/octet-stream";
        request.Headers[InferEndpoint.HeaderLengthHeader] = headerLength.ToString(CultureInfo.InvariantCulture);

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(response);
        features.Set<IRequestBodyPipeFeature>(new BenchRequestBodyFeature(body));
        features.Set<IHttpResponseBodyFeature>(new BenchResponseBodyFeature(Sink));
        features.Set<IHttpMaxRequestBodySizeFeature>(new BenchMaxRequestBodySizeFeature());

        // Kestrel's RequestAborted can be cancelled; registering on it is part of the real path.
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = Aborted.Token });
        features.Set<IRouteValuesFeature>(new RouteValuesFeature { RouteValues = new RouteValueDictionary { ["model"] = model } });
        Context = new DefaultHttpContext(features);
    }

    public DefaultHttpContext Context { get; }

    public ResponseSink Sink { get; }

    public CancellationTokenSource Aborted { get; } = new();

    /// <summary>Whether each request's body arrives only after the endpoint has started waiting for it.</summary>
    public bool LateBody
    {
        get => body.Late;
        set => body.Late = value;
    }

    /// <summary>Delivers the body the endpoint is waiting for (with <see cref="LateBody"/>).</summary>
    public void BodyArrives() => body.Arrive();

    /// <summary>Ready for the next request: body from its start, an empty response.</summary>
    public void Reset()
    {
        body.Rewind();
        Sink.Clear();
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.Clear();
    }
}
