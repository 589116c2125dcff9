using System.Diagnostics;
using Inference.Onnx.Authoring;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Tests.Runtime;

/// <summary>
/// Cancelling <see cref="InferenceSession"/> runs. Kept apart from <see cref="InferenceSessionTests"/>
/// because it compares wall-clock times, so it runs alone (see <see cref="TimingCollection"/>).
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class InferenceSessionCancellationTests
{
    private const int Size = 1024;
    private const int Layers = 20;

    private static readonly Lazy<byte[]> SlowModel = new(BuildSlowModel);

    // Loads the library and creates the one environment before any test here touches ORT.
    public InferenceSessionCancellationTests() => _ = OrtFixture.Environment;

    [Fact]
    public void CancelledTokenStopsASlowRunLongBeforeItWouldEnd()
    {
        using var session = TestModels.Open(SlowModel.Value);
        using var x = OrtValue.CreateTensor<float>(TensorElementType.Float, [Size, Size], Ones());
        var inputs = new Dictionary<string, OrtValue> { ["x"] = x };

        var clock = Stopwatch.StartNew();
        var full = session.Run(inputs, null, CancellationToken.None);
        var uncancelled = clock.Elapsed;
        using (full[0])
        {
            // x is all ones and each layer multiplies by a matrix of 1/Size: the result stays all ones.
            Assert.All(full[0].GetData<float>().ToArray(), v => Assert.Equal(1f, v, 1e-3f));
        }

        Assert.True(uncancelled > TimeSpan.FromMilliseconds(100), $"the slow model took only {uncancelled.TotalMilliseconds:F0} ms");

        using var source = new CancellationTokenSource();
        clock.Restart();
        CancelSoon(source);
        Assert.ThrowsAny<OperationCanceledException>(() => session.Run(inputs, null, source.Token));
        var cancelled = clock.Elapsed;

        Assert.True(
            cancelled < uncancelled / 2,
            $"cancelled run took {cancelled.TotalMilliseconds:F0} ms, uncancelled {uncancelled.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void SessionWorksAfterACancelledRun()
    {
        using var session = TestModels.Open(SlowModel.Value);
        using var x = OrtValue.CreateTensor<float>(TensorElementType.Float, [Size, Size], Ones());
        var inputs = new Dictionary<string, OrtValue> { ["x"] = x };
        using (var source = new CancellationTokenSource())
        {
            CancelSoon(source);
            Assert.ThrowsAny<OperationCanceledException>(() => session.Run(inputs, null, source.Token));
        }

        // A token that can be cancelled but never is does not disturb the run.
        using var idle = new CancellationTokenSource();
        var outputs = session.Run(inputs, null, idle.Token);

        using var y = Assert.Single(outputs);
        Assert.Equal([(long)Size, Size], y.Shape);
        Assert.All(y.GetData<float>().ToArray(), v => Assert.Equal(1f, v, 1e-3f));
    }

    [Fact]
    public void AlreadyCancelledTokenThrowsWithThatToken()
    {
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.Float, 1));
        using var x = OrtValue.CreateTensor<float>(TensorElementType.Float, [1], new float[] { 1 });
        using var source = new CancellationTokenSource();
        source.Cancel();

        var e = Assert.ThrowsAny<OperationCanceledException>(() => session.Run(new Dictionary<string, OrtValue> { ["x"] = x }, null, source.Token));

        Assert.Equal(source.Token, e.CancellationToken);
    }

    [Fact]
    public void TerminateFromAnotherThreadStopsTheRunAndResetAllowsReuse()
    {
        using var session = TestModels.Open(SlowModel.Value);
        using var x = OrtValue.CreateTensor<float>(TensorElementType.Float, [Size, Size], Ones());
        using var options = new OrtRunOptions();
        OnOwnThreadSoon(options.Terminate);

        Assert.Throws<OperationCanceledException>(() => session.Run([0], [x], [0], new OrtValue?[1], options));

        options.Reset();
        var outputs = new OrtValue?[1];
        session.Run([0], [x], [0], outputs, options);
        using var y = Assert.IsType<OrtValue>(outputs[0]);
        Assert.All(y.GetData<float>().ToArray(), v => Assert.Equal(1f, v, 1e-3f));
    }

    [Fact]
    public void TerminateStopsABoundRunAndTheBindingRunsAgainAfterReset()
    {
        using var session = TestModels.Open(SlowModel.Value);
        using var x = OrtValue.CreateTensor<float>(TensorElementType.Float, [Size, Size], Ones());
        using var binding = session.CreateIoBinding();
        using var options = new OrtRunOptions();

        var clock = Stopwatch.StartNew();
        var full = new OrtValue?[1];
        binding.Run([0], [x], [0], full, OrtMemoryInfo.Cpu, options);
        var uncancelled = clock.Elapsed;
        full[0]!.Dispose();

        OnOwnThreadSoon(options.Terminate);
        clock.Restart();
        Assert.Throws<OperationCanceledException>(() => binding.Run([0], [x], [0], new OrtValue?[1], OrtMemoryInfo.Cpu, options));
        var cancelled = clock.Elapsed;
        Assert.True(
            cancelled < uncancelled / 2,
            $"terminated bound run took {cancelled.TotalMilliseconds:F0} ms, uncancelled {uncancelled.TotalMilliseconds:F0} ms");
        Assert.Empty(binding.GetOutputValues());

        options.Reset();
        var outputs = new OrtValue?[1];
        binding.Run([0], [x], [0], outputs, OrtMemoryInfo.Cpu, options);
        using var y = Assert.IsType<OrtValue>(outputs[0]);
        Assert.All(y.GetData<float>().ToArray(), v => Assert.Equal(1f, v, 1e-3f));
    }

    /// <summary>
    /// Cancels from a thread of its own after 20 ms. A timer would fire on the thread pool, which
    /// under a loaded test run can be starved for longer than the whole slow run takes.
    /// </summary>
    private static void CancelSoon(CancellationTokenSource source) => OnOwnThreadSoon(source.Cancel);

    private static void OnOwnThreadSoon(Action action)
    {
        var thread = new Thread(() =>
        {
            Thread.Sleep(20);
            action();
        })
        { IsBackground = true };
        thread.Start();
    }

    /// <summary>Twenty 1024x1024 float MatMuls in a chain (about 43 GFLOP): hundreds of ms on one thread.</summary>
    private static byte[] BuildSlowModel()
    {
        var weight = new float[Size * Size];
        Array.Fill(weight, 1f / Size);
        var builder = new OnnxGraphBuilder("slow")
            .Input("x", TensorElementType.Float, Size, Size)
            .Output("y", TensorElementType.Float, Size, Size)
            .Initializer("w", TensorElementType.Float, [Size, Size], weight);
        var previous = "x";
        for (var i = 0; i < Layers; i++)
        {
            var next = i == Layers - 1 ? "y" : $"h{i}";
            builder.Node("MatMul", [previous, "w"], [next]);
            previous = next;
        }

        return builder.Build();
    }

    private static float[] Ones()
    {
        var data = new float[Size * Size];
        Array.Fill(data, 1f);
        return data;
    }
}
