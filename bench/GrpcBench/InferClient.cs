using System.Net;
using System.Net.Http.Headers;

namespace Inference.GrpcBench;

/// <summary>
/// One infer call per <see cref="SendAsync"/>, read to its end and checked (gRPC: grpc-status 0 in the
/// trailers; HTTP: 200). Both protocols go through HttpClient, so the client side costs alike.
/// </summary>
internal sealed class InferClient(HttpClient[] clients, Func<HttpRequestMessage> request, bool grpc)
{
    public static InferClient Grpc(Uri address, int connections)
    {
        var frame = SimpleRequests.GrpcFrame();
        // One handler per connection: a handler keeps all its streams on one HTTP/2 connection.
        var clients = Enumerable.Range(0, connections).Select(_ => new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = false }) { BaseAddress = address }).ToArray();
        return new InferClient(clients, () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, "/inference.GRPCInferenceService/ModelInfer")
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(frame),
            };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            message.Headers.TryAddWithoutValidation("te", "trailers");
            return message;
        }, grpc: true);
    }

    public static InferClient Http(Uri address, int connections)
    {
        var (body, headerLength) = SimpleRequests.HttpBinary();
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = address };
        return new InferClient([client], () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, "/v2/models/simple/infer") { Content = new ByteArrayContent(body) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            message.Content.Headers.Add("Inference-Header-Content-Length", headerLength);
            return message;
        }, grpc: false);
    }

    public async ValueTask<bool> SendAsync(int worker, CancellationToken cancellationToken)
    {
        using var message = request();
        using var response = await clients[worker % clients.Length].SendAsync(message, cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return false;
        }

        return !grpc || (response.TrailingHeaders.TryGetValues("grpc-status", out var status) && status.First() == "0");
    }
}
