namespace Inference.Host.Tests.Transport.WebSockets;

/// <summary>The streaming tests share one host, and run one after another: they move its clock.</summary>
[CollectionDefinition(Name)]
public sealed class StreamingCollection : ICollectionFixture<StreamingHost>
{
    public const string Name = "streaming";
}
