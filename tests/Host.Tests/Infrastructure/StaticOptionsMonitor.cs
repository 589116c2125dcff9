using Microsoft.Extensions.Options;

namespace Inference.Host.Tests.Infrastructure;

/// <summary>Options that never change, for constructing a service outside the host.</summary>
public sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
