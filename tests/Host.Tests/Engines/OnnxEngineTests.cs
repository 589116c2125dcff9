using System.Runtime.InteropServices;
using System.Text;
using Inference.Host.Configuration;
using Inference.Host.Engines;
using Inference.Host.Protocol.Engine;
using Inference.Host.Scheduling;
using Inference.Host.Tests.Execution;
using Inference.Onnx.Authoring;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;
using Inference.Packaging.Manifest;
using static Inference.Host.Tests.Engines.EngineTestRequests;

namespace Inference.Host.Tests.Engines;

/// <summary>ONNX-only engines scheduled like plain models: several sessions, resized live, and dynamic batching of their requests.</summary>
public sealed class OnnxEngineTests : IAsyncDisposable
{
    private const string Manifest = """
        service: { id: double, version: 1.0.0 }
        request:
          - { name: audio, type: audio, encodings: [raw] }
        response:
          - { name: doubled, type: tensor, encodings: [raw, json] }
        config: { maxConcurrency: 16, optimalConcurrency: 8 }
        resources: { preset: C1 }
        engine:
          kind: onnx
          model: model/model.onnx
          inputs:
            - { source: audio, tensor: X, datatype: FP32 }
          outputs:
            - { source: doubled, tensor: Y }
        """;

    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("onnx-engine-");
    private readonly List<IEngine> engines = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in engines)
        {
            await engine.DisposeAsync();
        }

        root.Delete(recursive: true);
    }

    [Fact]
    public async Task InstancesAreSessionsThatCanBeAddedAndRemovedLive()
    {
        var engine = await DoubleAsync(Settings("double", ("Instances:Count", "2"), ("Instances:IntraOpThreads", "1")));

        Assert.Equal(2, engine.InstanceCount);
        Assert.Equal(1, engine.Snapshot().RunsPerInstance);
        await engine.SetInstanceCountAsync(3, CancellationToken.None);
        Assert.Equal([0, 1, 2], engine.Snapshot().Instances.Select(i => i.Id));
        var doubled = Floats(await engine.ExecuteAsync(Audio(1f, -2f, 3f, 4f), CancellationToken.None));
        Assert.Equal([2f, -4f, 6f, 8f], doubled);
        await engine.SetInstanceCountAsync(1, CancellationToken.None);
        Assert.Equal(1, engine.InstanceCount);
        doubled = Floats(await engine.ExecuteAsync(Audio(0f, 1f, 2f, 3f), CancellationToken.None));
        Assert.Equal([0f, 2f, 4f, 6f], doubled);
    }

    [Fact]
    public async Task ConcurrentRequestsRunAsOneBatchAndEachGetsItsOwnRows()
    {
        var engine = await DoubleAsync(Settings("double", ("Batching:MaxBatchSize", "4"), ("Batching:MaxQueueDelayMicroseconds", "10000000")));

        var calls = Enumerable.Range(0, 4).Select(i => engine.ExecuteAsync(Audio(i, i + 0.5f, -i, 10 * i), CancellationToken.None).AsTask()).ToArray();
        var results = await Task.WhenAll(calls).WaitAsync(Patience);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal([2f * i, (2f * i) + 1, -2f * i, 20f * i], Floats(results[i]));
        }

        var batching = engine.Snapshot().Batching!;
        Assert.Equal([new EngineBatchSize(4, 1)], batching.Sizes);
        Assert.Equal(4.0, batching.AverageSize);
    }

    [Fact]
    public async Task BatchingAModelWithoutABatchDimensionIsRefusedNamingTheKey()
    {
        var e = await Assert.ThrowsAsync<SchedulingConfigurationException>(() =>
            DoubleAsync(Settings("double", ("Batching:MaxBatchSize", "4")), batchDimension: false));

        Assert.Equal(
            "Engines:double:Batching:MaxBatchSize is 4 but the model cannot be batched: input 'X' has shape [1,4]; batching needs every input's first dimension to be dynamic (-1)",
            e.Message);
    }

    [Fact]
    public async Task ACudaDeviceThatCannotBeUsedFailsTheEngineNamingTheKeyOrFallsBackWhenAllowed()
    {
        if (OrtTestEnvironment.Instance.AvailableProviders.Contains(CudaProviderSettings.ProviderName))
        {
            return; // a CUDA machine: the device works, nothing to refuse
        }

        var refused = await Assert.ThrowsAsync<SchedulingConfigurationException>(() => DoubleAsync(Settings("double", ("Instances:Devices", "cuda:0"))));
        Assert.StartsWith("Engines:double:Instances:Devices: ", refused.Message, StringComparison.Ordinal);

        var engine = await DoubleAsync(Settings("double", ("Instances:Devices", "cpu,cuda:0")), new OnnxRuntimeOptions { CudaFallbackToCpu = true });
        Assert.Equal(["cpu", "cuda:0 on Cpu"], engine.Snapshot().Instances.Select(i => i.Device));
    }

    private static EngineRequest Audio(params float[] samples) => new(
        "r",
        null,
        3,
        new Dictionary<string, object?>(),
        new Dictionary<string, string?> { ["doubled"] = "raw" },
        new Dictionary<string, EngineDataSegment> { ["audio"] = new("audio", "raw", 3, MemoryMarshal.AsBytes(samples.AsSpan()).ToArray()) });

    private static float[] Floats(IReadOnlyList<EngineDataSegment> result) => MemoryMarshal.Cast<byte, float>(Assert.Single(result).Data.Span).ToArray();

    private async Task<IEngine> DoubleAsync(ModelSchedulingOptions scheduling, OnnxRuntimeOptions? options = null, bool batchDimension = true)
    {
        var directory = root.CreateSubdirectory("double-" + Guid.NewGuid().ToString("N")).FullName;
        Directory.CreateDirectory(Path.Combine(directory, "model"));
        var model = batchDimension
            ? new OnnxGraphBuilder("double").Input("X", TensorElementType.Float, "n", 4).Output("Y", TensorElementType.Float, "n", 4)
            : new OnnxGraphBuilder("double").Input("X", TensorElementType.Float, 1, 4).Output("Y", TensorElementType.Float, 1, 4);
        File.WriteAllBytes(Path.Combine(directory, "model", "model.onnx"), model.Node("Add", ["X", "X"], ["Y"]).Build());
        var read = ManifestReader.Read(Manifest);
        Assert.True(read.IsValid, string.Join("\n", read.Problems));
        var factory = new EngineFactory(OrtTestEnvironment.Instance, options ?? new OnnxRuntimeOptions());
        var engine = await factory.CreateAsync(read.Manifest!, directory, scheduling, CancellationToken.None);
        engines.Add(engine);
        return engine;
    }
}
