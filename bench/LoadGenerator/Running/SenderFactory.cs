using System.Net;
using System.Net.Sockets;
using Inference.LoadGenerator.Http;
using Inference.LoadGenerator.Requests;

namespace Inference.LoadGenerator.Running;

/// <summary>Makes the clients' senders: the request is serialized and the host name resolved once, not per client.</summary>
internal sealed class SenderFactory
{
    private readonly RequestTarget target;
    private readonly ClientKind kind;
    private readonly TimeSpan timeout;
    private readonly EndPoint? endPoint;
    private readonly byte[] serialized;

    private SenderFactory(RequestTarget target, ClientKind kind, TimeSpan timeout, EndPoint? endPoint)
    {
        this.target = target;
        this.kind = kind;
        this.timeout = timeout;
        this.endPoint = endPoint;
        serialized = kind == ClientKind.Raw ? RequestSerializer.Serialize(target) : [];
    }

    public static async Task<SenderFactory> CreateAsync(RequestTarget target, ClientKind kind, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var endPoint = kind == ClientKind.Raw ? await ResolveAsync(target.Url, cancellationToken) : null;
        return new SenderFactory(target, kind, timeout, endPoint);
    }

    public IRequestSender Create() => kind == ClientKind.Raw
        ? new RawHttpSender(endPoint!, serialized, target.IsHead)
        : new SocketsHttpSender(target, timeout);

    public static async Task<EndPoint> ResolveAsync(Uri url, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(url.IdnHost, out var literal))
        {
            return new IPEndPoint(literal, url.Port);
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken);
        }
        catch (SocketException e)
        {
            throw new LoadTestException($"cannot resolve '{url.Host}': {e.Message}", e);
        }

        // Prefer IPv4: 'localhost' servers often listen on 127.0.0.1 only.
        var address = addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault()
            ?? throw new LoadTestException($"'{url.Host}' resolves to no address");
        return new IPEndPoint(address, url.Port);
    }
}
