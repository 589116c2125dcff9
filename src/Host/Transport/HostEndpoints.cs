using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Inference.Host.Transport;

/// <summary>
/// The Kestrel endpoints the host listens on, kept so that requests can be told apart by the port they
/// came in on and so that a port of 0 can be read back once bound (Kestrel writes the bound endpoint
/// into the listen options).
/// </summary>
public sealed class HostEndpoints
{
    private int grpcPort = -1;

    public ListenOptions? Http { get; internal set; }

    public ListenOptions? Grpc { get; internal set; }

    /// <summary>The bound HTTP/1.1 port (after start).</summary>
    public int HttpPort => Http?.IPEndPoint?.Port ?? -1;

    /// <summary>The bound gRPC port (after start); read once, since it is asked on every request.</summary>
    public int GrpcPort
    {
        get
        {
            var port = Volatile.Read(ref grpcPort);
            if (port <= 0 && Grpc?.IPEndPoint is { Port: > 0 } bound)
            {
                port = bound.Port;
                Volatile.Write(ref grpcPort, port);
            }

            return port;
        }
    }
}
