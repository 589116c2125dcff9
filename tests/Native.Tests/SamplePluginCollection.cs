namespace Inference.Native.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SamplePluginCollection : ICollectionFixture<SamplePluginFixture>
{
    public const string Name = "sample plugin";
}
