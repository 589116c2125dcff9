using System.Net;
using System.Net.Sockets;
using System.Text;
using Inference.Host.Tests.Infrastructure;
using Inference.Host.Transport.Health;
using Microsoft.Extensions.DependencyInjection;

namespace Inference.Host.Tests.Transport.Health;

/// <summary>The dedicated health port: what it answers, to whom, and what it refuses.</summary>
public sealed class HealthListenerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ItIsOffUnlessThePortIsSet()
    {
        await using var host = await StartedHost.StartAsync("--http-port", "0");
        Assert.Null(host.App.Services.GetRequiredService<HealthListener>().Port);
    }

    [Fact]
    public async Task LiveAndReadyAnswerOnTheirOwnPortOverOneKeptConnection()
    {
        await using var host = await StartedHost.StartAsync("--http-port", "0", "--health-port", "0");
        var port = HealthPort(host);
        Assert.NotEqual(host.BaseAddress.Port, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/health/live")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/health/ready")).StatusCode);
        }

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v2/health/ready"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task ReadinessFollowsTheLoadThresholdLikeTheHttpPort()
    {
        await using var host = await LoadControlHost.StartAsync(
            """{ "Host": { "ReadinessLoadThreshold": 0.25 }, "Models": { "simple": { "OptimalConcurrency": 2, "MaxConcurrency": 4 } } }""",
            "--health-port", "0");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HealthPort(host.Host)}") };
        var gate = host.ModelGate("simple");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/health/ready")).StatusCode);

        using (await HeldSlot.TakeAsync(gate))
        using (await HeldSlot.TakeAsync(gate))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/v2/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Client.GetAsync("/v2/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/health/live")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/health/ready")).StatusCode);
    }

    [Fact]
    public async Task WrongPathsMethodsBodiesAndHeadsAreRefusedWithTheirReason()
    {
        await using var host = await StartedHost.StartAsync("--http-port", "0", "--health-port", "0");
        var port = HealthPort(host);

        var notFound = await Exchange(port, "GET /v2/models HTTP/1.1\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 404 ", notFound, StringComparison.Ordinal);
        Assert.Contains("'/v2/models' is not served on the health port", notFound, StringComparison.Ordinal);

        var method = await Exchange(port, "DELETE /v2/health/live HTTP/1.1\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 405 ", method, StringComparison.Ordinal);
        Assert.Contains("Allow: GET, HEAD", method, StringComparison.Ordinal);

        var body = await Exchange(port, "GET /v2/health/live HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        Assert.StartsWith("HTTP/1.1 400 ", body, StringComparison.Ordinal);
        Assert.Contains("carry no body", body, StringComparison.Ordinal);

        var malformed = await Exchange(port, "hello\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400 ", malformed, StringComparison.Ordinal);
        Assert.Contains("not an HTTP/1.1 request", malformed, StringComparison.Ordinal);

        var huge = await Exchange(port, "GET /v2/health/live HTTP/1.1\r\nX: " + new string('a', HealthRequest.MaxHeadBytes));
        Assert.StartsWith("HTTP/1.1 400 ", huge, StringComparison.Ordinal);
        Assert.Contains($"longer than {HealthRequest.MaxHeadBytes} bytes", huge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PipelinedRequestsAreAnsweredInOrderAndHttp10Closes()
    {
        await using var host = await StartedHost.StartAsync("--http-port", "0", "--health-port", "0");
        var answers = await Exchange(HealthPort(host), "GET /v2/health/live HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n\r\nGET /v2/health/ready HTTP/1.0\r\n\r\n");

        var statuses = answers.Split("HTTP/1.1 ", StringSplitOptions.RemoveEmptyEntries).Select(a => a[..3]).ToArray();
        Assert.Equal(["200", "404", "200"], statuses);
        Assert.EndsWith("Connection: close\r\n\r\n", answers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BeyondItsConnectionLimitANewConnectionIsAnswered503AndTheOthersStillWork()
    {
        await using var host = await StartedHost.StartAsync("--http-port", "0", "--health-port", "0");
        var port = HealthPort(host);
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < HealthListener.MaxConnections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port);
                idle.Add(socket);
            }

            // Each kept connection answers, so the listener has registered all of them before the next one.
            foreach (var socket in idle)
            {
                Assert.StartsWith("HTTP/1.1 200 ", await Send(socket, "GET /v2/health/live HTTP/1.1\r\n\r\n"), StringComparison.Ordinal);
            }

            var refused = await Exchange(port, "GET /v2/health/live HTTP/1.1\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 503 ", refused, StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 200 ", await Send(idle[0], "GET /v2/health/ready HTTP/1.1\r\n\r\n"), StringComparison.Ordinal);
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task TheSamePortAsHttpIsRefusedAtStartNamingBothKeys()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartedHost.StartAsync("--http-port", "18555", "--health-port", "18555"));
        Assert.Contains("Host:HealthPort (18555) must differ from Host:HttpPort", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APortInUseIsRefusedAtStartNamingTheKey()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartedHost.StartAsync("--http-port", "0", "--health-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains($"Host:HealthPort {port}", error.Message, StringComparison.Ordinal);
    }

    private static int HealthPort(StartedHost host) =>
        host.App.Services.GetRequiredService<HealthListener>().Port ?? throw new InvalidOperationException("the health listener is off");

    /// <summary>Sends the bytes on a new connection and reads until the listener closes it.</summary>
    private static async Task<string> Exchange(int port, string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        using var timeout = new CancellationTokenSource(Wait);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>Sends one request on a kept connection and reads its (bodiless) answer.</summary>
    private static async Task<string> Send(Socket socket, string request)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        using var timeout = new CancellationTokenSource(Wait);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.NotEqual(0, read);
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return received.ToString();
    }
}
