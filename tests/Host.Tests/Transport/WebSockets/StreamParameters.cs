namespace Inference.Host.Tests.Transport.WebSockets;

/// <summary>Session parameters per test engine: the native sample takes <c>mode</c>, echo takes none of it.</summary>
internal static class StreamParameters
{
    public static object For(this object native, string service) => service == "echo" ? new { } : native;
}
