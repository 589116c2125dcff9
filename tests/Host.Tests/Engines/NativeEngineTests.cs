using Inference.Host.Configuration;
using Inference.Host.Engines;
using Inference.Host.Scheduling;
using Inference.Host.Tests.Execution;
using Inference.Host.Tests.Infrastructure;
using Inference.Packaging.Manifest;
using static Inference.Host.Tests.Engines.EngineTestRequests;

namespace Inference.Host.Tests.Engines;

/// <summary>A native plugin's library is process-global: it has one instance, and settings that would need more are refused naming the key.</summary>
public sealed class NativeEngineTests
{
    [Theory]
    [InlineData("Instances:Count", "2", "Engines:textnative:Instances:Count is 2; a native plugin has one instance (its library is process-global: wrapperInit runs once), which takes concurrent calls itself; raise OptimalConcurrency instead")]
    [InlineData("Instances:Devices", "cuda:0", "Engines:textnative:Instances:Devices is set, but a native plugin's library chooses its own device; remove the setting")]
    [InlineData("Instances:IntraOpThreads", "4", "Engines:textnative:Instances:IntraOpThreads/InterOpThreads are set, but a native plugin's library runs its own threads; remove the setting")]
    [InlineData("Batching:MaxBatchSize", "8", "Engines:textnative:Batching:MaxBatchSize is 8, but native plugins cannot be batched (the C ABI has no batch call); remove Engines:textnative:Batching")]
    public async Task SettingsThatNeedMoreThanOneInstanceOrABatchCallAreRefusedNamingTheKey(string key, string value, string expected)
    {
        // Refused before the library is opened: no library needed.
        var e = await Assert.ThrowsAsync<SchedulingConfigurationException>(() =>
            Factory().CreateAsync(Manifest(), Path.GetTempPath(), Settings("textnative", (key, value)), CancellationToken.None));

        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public async Task ItServesAsOneInstanceAndRefusesALiveCountAboveOne()
    {
        var directory = Directory.CreateTempSubdirectory("native-engine-");
        try
        {
            Directory.CreateDirectory(Path.Combine(directory.FullName, "lib"));
            File.Copy(NativeSample.Build(), Path.Combine(directory.FullName, "lib", "libwrapper.so"));
            await using var engine = await Factory().CreateAsync(Manifest(), directory.FullName, Settings("textnative", ("Instances:Count", "1")), CancellationToken.None);

            await engine.ExecuteAsync(Lanes("hello"), CancellationToken.None);
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.SetInstanceCountAsync(2, CancellationToken.None));

            Assert.Contains("process-global", e.Message, StringComparison.Ordinal);
            await engine.SetInstanceCountAsync(1, CancellationToken.None);
            Assert.Equal(1, engine.InstanceCount);
            var instance = Assert.Single(engine.Snapshot().Instances);
            Assert.Equal(("native", 0, 1L), (instance.Device, instance.Running, instance.Runs));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static EngineFactory Factory() => new(OrtTestEnvironment.Instance, new OnnxRuntimeOptions());

    private static PluginManifest Manifest()
    {
        var read = ManifestReader.Read(TestPackages.NativeManifest);
        Assert.True(read.IsValid, string.Join("\n", read.Problems));
        return read.Manifest!;
    }
}
