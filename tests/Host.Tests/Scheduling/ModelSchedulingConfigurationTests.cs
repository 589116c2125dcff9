using Inference.Host.Scheduling;
using Inference.Onnx.Runtime;
using Microsoft.Extensions.Configuration;

namespace Inference.Host.Tests.Scheduling;

public sealed class ModelSchedulingConfigurationTests
{
    [Fact]
    public void WithoutSettingsAModelHasOneSharedInstanceAndNoBatching()
    {
        var options = ModelSchedulingConfiguration.Read(Configuration(("Models:other:Batching:MaxBatchSize", "8")), "m");

        Assert.Equal(ModelSchedulingOptions.Default, options);
        Assert.False(options.Batching.Enabled);
        Assert.False(options.Instances.Exclusive);
        Assert.Equal(1, options.Instances.EffectiveCount);
    }

    [Fact]
    public void EverySettingIsRead()
    {
        var options = ModelSchedulingConfiguration.Read(
            Configuration(
                ("Models:m:Batching:MaxBatchSize", "16"),
                ("Models:m:Batching:MaxQueueDelayMicroseconds", "2500"),
                ("Models:m:Batching:PreferredBatchSizes:0", "8"),
                ("Models:m:Batching:PreferredBatchSizes:1", "4"),
                ("Models:m:Instances:Count", "3"),
                ("Models:m:Instances:Devices:0", "cpu"),
                ("Models:m:Instances:Devices:1", "CUDA:1"),
                ("Models:m:Instances:IntraOpThreads", "2"),
                ("Models:m:Instances:InterOpThreads", "0"),
                ("Models:m:OptimalConcurrency", "4")),
            "m");

        Assert.Equal(16, options.Batching.MaxBatchSize);
        Assert.Equal(2500, options.Batching.MaxQueueDelayMicroseconds);
        Assert.Equal([4, 8], options.Batching.PreferredBatchSizes);
        Assert.True(options.Batching.Enabled);
        Assert.Equal(3, options.Instances.Count);
        Assert.Equal([InstanceDevice.Cpu, InstanceDevice.Cuda(1)], options.Instances.Devices);
        Assert.Equal(2, options.Instances.IntraOpThreads);
        Assert.Equal(0, options.Instances.InterOpThreads);
        Assert.True(options.Instances.Exclusive);
    }

    [Theory]
    [InlineData(null, IoBindingMode.Auto)]
    [InlineData("auto", IoBindingMode.Auto)]
    [InlineData("ON", IoBindingMode.On)]
    [InlineData(" off ", IoBindingMode.Off)]
    public void IoBindingIsAutoOnOrOffAndLeavesTheInstancesShared(string? value, IoBindingMode expected)
    {
        var options = ModelSchedulingConfiguration.Read(value is null ? Configuration() : Configuration(("Models:m:Instances:IoBinding", value)), "m");

        Assert.Equal(expected, options.Instances.IoBinding);
        Assert.False(options.Instances.Exclusive);
    }

    [Fact]
    public void AnEnginesSectionIsReadTheSameWayAndItsProblemsNameItsKeys()
    {
        var configuration = Configuration(
            ("Engines:lanes:OptimalConcurrency", "4"),
            ("Engines:lanes:Instances:Count", "2"),
            ("Engines:lanes:Batching:MaxBatchSize", "8"),
            ("Engines:bad:Batching:MaxBatchSize", "4"),
            ("Engines:bad:Batching:PreferredBatchSizes", "16"));
        var engines = configuration.GetSection("Engines");

        var options = ModelSchedulingConfiguration.Read(engines.GetSection("lanes"));
        var e = Assert.Throws<SchedulingConfigurationException>(() => ModelSchedulingConfiguration.Read(engines.GetSection("bad")));

        Assert.Equal((2, 8), (options.Instances.Count, options.Batching.MaxBatchSize));
        Assert.Equal(5, ModelSchedulingConfiguration.ReadInstanceCount(engines.GetSection("other"), 5));
        Assert.Equal("Engines:bad:Batching:PreferredBatchSizes is '16'; it must be a whole number from 1 to 4 (at most Engines:bad:Batching:MaxBatchSize)", e.Message);
    }

    [Fact]
    public void ListsMayBeOneCommaSeparatedValue()
    {
        var options = ModelSchedulingConfiguration.Read(
            Configuration(("Models:m:Batching:MaxBatchSize", "8"), ("Models:m:Batching:PreferredBatchSizes", "2, 4"), ("Models:m:Instances:Devices", "cuda,cpu")),
            "m");

        Assert.Equal([2, 4], options.Batching.PreferredBatchSizes);
        Assert.Equal([InstanceDevice.Cuda(0), InstanceDevice.Cpu], options.Instances.Devices);
        Assert.Equal(2, options.Instances.EffectiveCount);
    }

    [Fact]
    public void DevicesAloneMakeExclusiveInstancesOnePerDevice()
    {
        var options = ModelSchedulingConfiguration.Read(Configuration(("Models:m:Instances:Devices:0", "cpu"), ("Models:m:Instances:Devices:1", "cpu")), "m");

        Assert.True(options.Instances.Exclusive);
        Assert.Equal(2, options.Instances.EffectiveCount);
    }

    [Fact]
    public void ThreadsAloneKeepTheSharedInstance()
    {
        var options = ModelSchedulingConfiguration.Read(Configuration(("Models:m:Instances:IntraOpThreads", "4")), "m");

        Assert.False(options.Instances.Exclusive);
        Assert.Equal(4, options.Instances.IntraOpThreads);
    }

    public static TheoryData<string, string, string[]> BadSettings => new()
    {
        { "Models:m:Batching:MaxBatchSize", "-1", ["Models:m:Batching:MaxBatchSize", "'-1'"] },
        { "Models:m:Batching:MaxBatchSize", "eight", ["Models:m:Batching:MaxBatchSize", "'eight'"] },
        { "Models:m:Batching:MaxBatchSize", "2000000", ["Models:m:Batching:MaxBatchSize", "1048576"] },
        { "Models:m:Batching:MaxQueueDelayMicroseconds", "1.5", ["Models:m:Batching:MaxQueueDelayMicroseconds", "'1.5'"] },
        { "Models:m:Batching:MaxQueueDelayMicroseconds", "60000001", ["Models:m:Batching:MaxQueueDelayMicroseconds"] },
        { "Models:m:Batching:PreferredBatchSizes:1", "9", ["Models:m:Batching:PreferredBatchSizes:1", "'9'", "MaxBatchSize"] },
        { "Models:m:Batching:PreferredBatchSizes:1", "0", ["Models:m:Batching:PreferredBatchSizes:1", "'0'"] },
        { "Models:m:Batching:MaxBatchSizes", "8", ["Models:m:Batching:MaxBatchSizes", "not a setting", "MaxBatchSize"] },
        { "Models:m:Instances:Count", "0", ["Models:m:Instances:Count", "'0'"] },
        { "Models:m:Instances:Count", "257", ["Models:m:Instances:Count", "256"] },
        { "Models:m:Instances:Devices:1", "gpu", ["Models:m:Instances:Devices:1", "'gpu'", "cuda:N"] },
        { "Models:m:Instances:Devices:1", "cuda:x", ["Models:m:Instances:Devices:1", "'cuda:x'"] },
        { "Models:m:Instances:Devices:1", "cuda:65", ["Models:m:Instances:Devices:1", "'cuda:65'"] },
        { "Models:m:Instances:IntraOpThreads", "-2", ["Models:m:Instances:IntraOpThreads", "'-2'"] },
        { "Models:m:Instances:InterOpThreads", "x", ["Models:m:Instances:InterOpThreads", "'x'"] },
        { "Models:m:Instances:Cout", "2", ["Models:m:Instances:Cout", "not a setting", "Count"] },
        { "Models:m:Instances:IoBinding", "yes", ["Models:m:Instances:IoBinding", "'yes'", "auto, on or off"] },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void ABadSettingIsRefusedNamingItsKey(string key, string value, string[] fragments)
    {
        var configuration = Configuration(
            ("Models:m:Batching:MaxBatchSize", "8"),
            ("Models:m:Batching:PreferredBatchSizes:0", "2"),
            ("Models:m:Instances:Devices:0", "cpu"),
            (key, value));

        var e = Assert.Throws<SchedulingConfigurationException>(() => ModelSchedulingConfiguration.Read(configuration, "m"));

        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PreferredSizesWithoutBatchingAreRefused()
    {
        var e = Assert.Throws<SchedulingConfigurationException>(() =>
            ModelSchedulingConfiguration.Read(Configuration(("Models:m:Batching:PreferredBatchSizes:0", "2")), "m"));

        Assert.Contains("Models:m:Batching:PreferredBatchSizes", e.Message, StringComparison.Ordinal);
        Assert.Contains("batching is off", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheInstanceCountAloneCanBeReadAgainWithItsDefault()
    {
        Assert.Equal(2, ModelSchedulingConfiguration.ReadInstanceCount(Configuration(), "m", 2));
        Assert.Equal(5, ModelSchedulingConfiguration.ReadInstanceCount(Configuration(("Models:m:Instances:Count", "5")), "m", 2));
        Assert.Throws<SchedulingConfigurationException>(() => ModelSchedulingConfiguration.ReadInstanceCount(Configuration(("Models:m:Instances:Count", "x")), "m", 2));
    }

    [Fact]
    public void ModelNamesMatchWhateverTheirCase()
    {
        var options = ModelSchedulingConfiguration.Read(Configuration(("models:MyModel:batching:maxbatchsize", "4")), "mymodel");

        Assert.Equal(4, options.Batching.MaxBatchSize);
        Assert.Equal(ExecutionProviderKind.Cpu, InstanceDevice.Cpu.Kind);
    }

    /// <summary>The settings, a later one replacing an earlier one of the same key.</summary>
    private static IConfiguration Configuration(params (string Key, string Value)[] values)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values)
        {
            settings[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }
}
