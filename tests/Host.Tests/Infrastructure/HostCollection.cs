namespace Inference.Host.Tests.Infrastructure;

/// <summary>HTTP tests share one host: ORT allows one environment per process, and start-up is not free.</summary>
[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<HostFixture>
{
    public const string Name = "host";
}
