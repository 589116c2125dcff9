using System.Text;
using Inference.Host.Engines;
using Inference.Host.Scheduling;
using Inference.Host.Tests.Infrastructure;
using Inference.Plugins.Sdk;
using static Inference.Host.Tests.Engines.EngineTestRequests;

namespace Inference.Host.Tests.Engines;

public sealed class PluginBatcherTests : IAsyncDisposable
{
    private readonly ManualTimeProvider time = new();
    private readonly RecordingPlugin plugin = new();
    private readonly List<IAsyncDisposable> owned = [];

    public async ValueTask DisposeAsync()
    {
        plugin.Open();
        foreach (var item in owned)
        {
            await item.DisposeAsync();
        }
    }

    [Fact]
    public async Task ConcurrentRequestsRunAsOneBatchCallAndEachCallerGetsItsOwnResultInOrder()
    {
        var batcher = await BatcherAsync(new BatchingOptions { MaxBatchSize = 4, MaxQueueDelayMicroseconds = 1_000_000 });

        var calls = Enumerable.Range(0, 4).Select(i => batcher.ExecuteAsync(Request($"r{i}"), CancellationToken.None)).ToArray();
        var results = await Task.WhenAll(calls).WaitAsync(Patience);

        Assert.Equal(["batch r0 r1 r2 r3"], plugin.Calls);
        Assert.Equal(["r0 #0 of 4", "r1 #1 of 4", "r2 #2 of 4", "r3 #3 of 4"], results.Select(Text));
        Assert.Equal([new EngineBatchSize(4, 1)], batcher.Counters.Sizes());
    }

    [Fact]
    public async Task ABatchShortOfFullRunsWhenTheOldestHasWaitedTheDelay()
    {
        var batcher = await BatcherAsync(new BatchingOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 1000 });

        var calls = Enumerable.Range(0, 3).Select(i => batcher.ExecuteAsync(Request($"r{i}"), CancellationToken.None)).ToArray();
        await Task.Delay(50);
        Assert.Empty(plugin.Calls);
        Assert.Equal(3, batcher.Queued);
        await AdvanceUntil(time, Task.WhenAll(calls), TimeSpan.FromMilliseconds(1));

        var results = await Task.WhenAll(calls);
        Assert.Equal(["batch r0 r1 r2"], plugin.Calls);
        Assert.Equal(["r0 #0 of 3", "r1 #1 of 3", "r2 #2 of 3"], results.Select(Text));
    }

    [Fact]
    public async Task APreferredSizeRunsAtOnceWithoutWaitingOutTheDelay()
    {
        var batcher = await BatcherAsync(new BatchingOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 10_000_000, PreferredBatchSizes = [2] });

        var first = batcher.ExecuteAsync(Request("a"), CancellationToken.None);
        await Task.Delay(50);
        Assert.False(first.IsCompleted);
        var second = batcher.ExecuteAsync(Request("b"), CancellationToken.None);

        Assert.Equal(["a #0 of 2", "b #1 of 2"], (await Task.WhenAll(first, second).WaitAsync(Patience)).Select(Text));
    }

    [Fact]
    public async Task RequestsArrivingWhileTheInstanceIsBusyJoinTheNextBatch()
    {
        var batcher = await BatcherAsync(new BatchingOptions { MaxBatchSize = 8 }, runsPerInstance: 1);
        plugin.Close();

        var alone = batcher.ExecuteAsync(Request("first"), CancellationToken.None);
        await plugin.Entered.WaitAsync(Patience);
        var joined = Enumerable.Range(0, 3).Select(i => batcher.ExecuteAsync(Request($"j{i}"), CancellationToken.None)).ToArray();
        await Task.Delay(50);
        Assert.Equal(3, batcher.Queued);
        plugin.Open();

        Assert.Equal("first #0 of 1", Text(await alone.WaitAsync(Patience)));
        Assert.Equal(["j0 #0 of 3", "j1 #1 of 3", "j2 #2 of 3"], (await Task.WhenAll(joined).WaitAsync(Patience)).Select(Text));
        Assert.Equal(["alone first", "batch j0 j1 j2"], plugin.Calls);
        Assert.Equal([new EngineBatchSize(1, 1), new EngineBatchSize(3, 1)], batcher.Counters.Sizes());
    }

    [Fact]
    public async Task AFailingBatchFailsEachOfItsRequestsWithThePluginsCode()
    {
        var batcher = await BatcherAsync(new BatchingOptions { MaxBatchSize = 3, MaxQueueDelayMicroseconds = 1_000_000 });
        plugin.Failure = new PluginException(20001, "the batch failed");

        var calls = Enumerable.Range(0, 3).Select(i => batcher.ExecuteAsync(Request($"r{i}"), CancellationToken.None)).ToArray();

        var failures = new List<PluginException>();
        foreach (var call in calls)
        {
            failures.Add(await Assert.ThrowsAsync<PluginException>(() => call.WaitAsync(Patience)));
        }

        Assert.All(failures, f => Assert.Equal((20001, "the batch failed"), (f.Code, f.Message)));
        Assert.Equal(3, failures.Distinct().Count()); // one exception object per caller
        Assert.Equal(["batch r0 r1 r2"], plugin.Calls);
    }

    [Fact]
    public async Task AnotherFailureOrAWrongNumberOfResultsFailsEveryRequestSayingWhat()
    {
        var batcher = await BatcherAsync(new BatchingOptions { MaxBatchSize = 2, MaxQueueDelayMicroseconds = 1_000_000 });
        plugin.ResultsToDrop = 1;

        var calls = new[] { batcher.ExecuteAsync(Request("a"), CancellationToken.None), batcher.ExecuteAsync(Request("b"), CancellationToken.None) };

        foreach (var call in calls)
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => call.WaitAsync(Patience));
            Assert.Contains("returned 1 results for 2 requests", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ACancelledMemberLeavesItsRunningBatchWithoutCancellingTheOthers()
    {
        var batcher = await BatcherAsync(new BatchingOptions { MaxBatchSize = 3, MaxQueueDelayMicroseconds = 1_000_000 });
        plugin.Close();
        using var leaving = new CancellationTokenSource();

        var first = batcher.ExecuteAsync(Request("a"), CancellationToken.None);
        var cancelled = batcher.ExecuteAsync(Request("b"), leaving.Token);
        var last = batcher.ExecuteAsync(Request("c"), CancellationToken.None);
        await plugin.Entered.WaitAsync(Patience);
        await leaving.CancelAsync();

        // The caller leaves at once, while the batch still runs for the others.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));
        Assert.False(first.IsCompleted);
        Assert.False(plugin.LastToken.IsCancellationRequested);
        plugin.Open();
        Assert.Equal("a #0 of 3", Text(await first.WaitAsync(Patience)));
        Assert.Equal("c #2 of 3", Text(await last.WaitAsync(Patience)));
    }

    [Fact]
    public async Task TheBatchCallIsCancelledOnlyWhenEveryMemberIsGone()
    {
        var batcher = await BatcherAsync(new BatchingOptions { MaxBatchSize = 2, MaxQueueDelayMicroseconds = 1_000_000 });
        plugin.Close();
        using var one = new CancellationTokenSource();
        using var two = new CancellationTokenSource();

        var calls = new[] { batcher.ExecuteAsync(Request("a"), one.Token), batcher.ExecuteAsync(Request("b"), two.Token) };
        await plugin.Entered.WaitAsync(Patience);
        await one.CancelAsync();
        Assert.False(plugin.LastToken.IsCancellationRequested);
        await two.CancelAsync();

        Assert.True(plugin.LastToken.IsCancellationRequested);
        foreach (var call in calls)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Patience));
        }
    }

    [Fact]
    public async Task ARequestCancelledWhileQueuedNeverRuns()
    {
        var batcher = await BatcherAsync(new BatchingOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 1000 });
        using var leaving = new CancellationTokenSource();

        var gone = batcher.ExecuteAsync(Request("gone"), leaving.Token);
        var calls = new[] { batcher.ExecuteAsync(Request("a"), CancellationToken.None), batcher.ExecuteAsync(Request("b"), CancellationToken.None) };
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone.WaitAsync(Patience));
        Assert.Equal(2, batcher.Queued);
        await AdvanceUntil(time, Task.WhenAll(calls), TimeSpan.FromMilliseconds(1));

        Assert.Equal(["a #0 of 2", "b #1 of 2"], (await Task.WhenAll(calls)).Select(Text));
        Assert.Equal(["batch a b"], plugin.Calls);
    }

    [Fact]
    public async Task DisposingFailsTheQueuedRequests()
    {
        var batcher = await BatcherAsync(new BatchingOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 1_000_000 });
        var queued = batcher.ExecuteAsync(Request("a"), CancellationToken.None);

        batcher.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => queued.WaitAsync(Patience));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.ExecuteAsync(Request("b"), CancellationToken.None).WaitAsync(Patience));
    }

    private static PluginRequest Request(string id) =>
        new(id, new Dictionary<string, object?>(), new Dictionary<string, PluginData>(), new Dictionary<string, string?>(), []);

    private static string Text(PluginResult result) => Encoding.UTF8.GetString(result.Data[0].Data.Span);

    private async Task<PluginBatcher> BatcherAsync(BatchingOptions options, int runsPerInstance = ModelInstance.Unlimited)
    {
        var pool = new EngineInstancePool<IEnginePlugin>([InstanceDevice.Cpu], runsPerInstance, (_, _, _) => ValueTask.FromResult<IEnginePlugin>(plugin), _ => ValueTask.CompletedTask);
        await pool.SetCountAsync(1, CancellationToken.None);
        var batcher = new PluginBatcher(pool, options, time);
        owned.Add(new Owned(batcher, pool));
        return batcher;
    }

    private sealed class Owned(PluginBatcher batcher, EngineInstancePool<IEnginePlugin> pool) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            batcher.Dispose();
            await pool.DisposeAsync();
        }
    }

    /// <summary>Answers "id #index of size" per request, records each call, and can be held closed, fail, or drop results.</summary>
    private sealed class RecordingPlugin : IBatchingPlugin
    {
        private readonly List<string> calls = [];
        private TaskCompletionSource gate = Opened();

        public SemaphoreSlim Entered { get; } = new(0);

        public Exception? Failure { get; set; }

        public int ResultsToDrop { get; set; }

        public CancellationToken LastToken { get; private set; }

        public string[] Calls
        {
            get
            {
                lock (calls)
                {
                    return [.. calls];
                }
            }
        }

        public void Close() => Volatile.Write(ref gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        public void Open() => Volatile.Read(ref gate).TrySetResult();

        public async ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken) =>
            (await RunAsync("alone", [request], cancellationToken))[0];

        public async ValueTask<IReadOnlyList<PluginResult>> ExecuteBatchAsync(IReadOnlyList<PluginRequest> requests, CancellationToken cancellationToken) =>
            await RunAsync("batch", requests, cancellationToken);

        public ValueTask InitAsync(PluginContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public IPluginSession CreateSession(IReadOnlyDictionary<string, object?> parameters, IReadOnlyList<uint> resourceIds) => throw new NotSupportedException();

        public ValueTask LoadResourceAsync(uint resourceId, PluginData data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask UnloadResourceAsync(uint resourceId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public string ErrorText(int code) => "RECORDING_ERROR";

        public ValueTask ShutdownAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource();
            open.SetResult();
            return open;
        }

        private async Task<IReadOnlyList<PluginResult>> RunAsync(string kind, IReadOnlyList<PluginRequest> requests, CancellationToken cancellationToken)
        {
            lock (calls)
            {
                calls.Add($"{kind} {string.Join(' ', requests.Select(r => r.RequestId))}");
            }

            LastToken = cancellationToken;
            Entered.Release();
            await Volatile.Read(ref gate).Task.WaitAsync(cancellationToken);
            if (Failure is not null)
            {
                throw Failure;
            }

            return requests
                .Select((r, i) => new PluginResult([new PluginData("result", "utf8", DataStatus.Once, Encoding.UTF8.GetBytes($"{r.RequestId} #{i} of {requests.Count}"))]))
                .SkipLast(ResultsToDrop)
                .ToList();
        }
    }
}
