using System.Diagnostics;
using Google.Protobuf;
using Inference.Host.Admission;
using Inference.Host.Errors;
using Inference.Host.Protocol.Grpc;
using Inference.Host.Tests.Infrastructure;
using Inference.Host.Tests.Transport.Http;
using static Inference.Host.Protocol.Grpc.ModelInferRequest.Types;
using static Inference.Host.Tests.Transport.Grpc.OipGrpcMessages;

namespace Inference.Host.Tests.Transport.Grpc;

/// <summary>
/// ModelInfer under admission, as the HTTP path (simple: optimal 1, max 3; slow: 1 / 4): refusal
/// beyond max at once, priority and timeout from parameters, grpc-timeout as the deadline, and a client
/// cancel (RST_STREAM) that takes a request out of the queue or stops its run. The test holds running
/// slots itself, so the queue's state does not depend on timing.
/// </summary>
public sealed class GrpcAdmissionTests(OipAdmissionHost fixture) : IClassFixture<OipAdmissionHost>, IDisposable
{
    private const string Infer = "/inference.GRPCInferenceService/ModelInfer";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly GrpcTestClient client = new(fixture.Host.Host.GrpcAddress);

    private AdmissionGate Simple => fixture.Host.ModelGate("simple");

    [Fact]
    public async Task BeyondMaxIsResourceExhaustedAtOnceAndTheQueuedRunWhenTheSlotFrees()
    {
        var before = Simple.Snapshot();
        using var holder = await HeldSlot.TakeAsync(Simple);
        var queued = new[] { client.UnaryAsync(Infer, SimpleTyped(id: "q1")), client.UnaryAsync(Infer, SimpleTyped(id: "q2")) };
        await LoadControlHost.WaitUntil(() => Simple.Snapshot() is { Running: 1, Queued: 2 });

        var stopwatch = Stopwatch.StartNew();
        var refused = await client.UnaryAsync(Infer, SimpleTyped());
        var refusedIn = stopwatch.Elapsed;

        Assert.Equal("model 'simple' version 1 is at its max concurrency (3: 1 running, 2 queued); retry later", refused.Failed(GrpcStatusCode.ResourceExhausted));
        Assert.True(refusedIn < TimeSpan.FromSeconds(2), $"the refusal took {refusedIn}");

        holder.Dispose();
        var answers = await Task.WhenAll(queued).WaitAsync(Wait);
        Assert.Equal(["q1", "q2"], answers.Select(a => a.Single(ModelInferResponse.Parser).Id).Order());
        var after = Simple.Snapshot();
        Assert.Equal(1, after.Rejected - before.Rejected);
        Assert.Equal(0, after.Running + after.Queued);
    }

    [Fact]
    public async Task HigherPriorityFromParametersOrMetadataRunsFirst()
    {
        var slow = fixture.Host.ModelGate("slow");
        var order = new List<string>();
        using var holder = await HeldSlot.TakeAsync(slow);
        var low = Track(client.UnaryAsync(Infer, Slow(rows: 8, id: "low")), order);
        await LoadControlHost.WaitUntil(() => slow.Snapshot().Queued == 1);
        var metadata = Track(client.UnaryAsync(Infer, Slow(rows: 8, id: "metadata-9"), headers: [("inference-priority", "9")]), order);
        await LoadControlHost.WaitUntil(() => slow.Snapshot().Queued == 2);
        var parameter = Slow(rows: 8, id: "parameter-5");
        parameter.Parameters["priority"] = Int(5);
        var fromParameter = Track(client.UnaryAsync(Infer, parameter), order);
        await LoadControlHost.WaitUntil(() => slow.Snapshot().Queued == 3);

        holder.Dispose();
        await Task.WhenAll(low, metadata, fromParameter).WaitAsync(Wait);

        Assert.Equal(["metadata-9", "parameter-5", "low"], order);
    }

    [Fact]
    public async Task AnInvalidPriorityIsInvalidArgumentNamingIt()
    {
        var request = SimpleTyped();
        request.Parameters["priority"] = Int(12);

        var reply = await client.UnaryAsync(Infer, request);

        Assert.Equal("priority must be an integer from 0 to 9 (higher is served first), got 12", reply.Failed(GrpcStatusCode.InvalidArgument));
    }

    [Theory]
    [InlineData("grpc-timeout", "200m")]
    [InlineData("parameter", "200000")]
    public async Task AQueuedRequestWhoseDeadlinePassesIsDeadlineExceededAndNeverRuns(string how, string value)
    {
        var before = Simple.Snapshot();
        using var holder = await HeldSlot.TakeAsync(Simple);
        var request = SimpleTyped();
        (string, string)[] headers = [];
        if (how == "parameter")
        {
            request.Parameters["timeout"] = Int(long.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            headers = [(how, value)];
        }

        var stopwatch = Stopwatch.StartNew();
        var reply = await client.UnaryAsync(Infer, request, headers);

        var message = reply.Failed(GrpcStatusCode.DeadlineExceeded);
        Assert.StartsWith("the deadline of the request to model 'simple' version 1 passed after ", message, StringComparison.Ordinal);
        Assert.EndsWith("us; it never ran", message, StringComparison.Ordinal);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
        holder.Dispose();
        var after = Simple.Snapshot();
        Assert.Equal(1, after.Expired - before.Expired);
        Assert.Equal(1, after.Admitted - before.Admitted); // only the holder
    }

    [Fact]
    public async Task TheEarlierOfGrpcTimeoutAndTheTimeoutParameterIsTheDeadline()
    {
        using var holder = await HeldSlot.TakeAsync(Simple);
        var request = SimpleTyped();
        request.Parameters["timeout"] = Int(20_000_000);

        var stopwatch = Stopwatch.StartNew();
        var reply = await client.UnaryAsync(Infer, request, [("grpc-timeout", "150000u")]);

        reply.Failed(GrpcStatusCode.DeadlineExceeded);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"answered after {stopwatch.Elapsed}: the 20 s parameter was used, not the 150 ms grpc-timeout");
    }

    [Fact]
    public async Task AQueuedCallThatIsCancelledLeavesTheQueueAndNeverRuns()
    {
        var before = Simple.Snapshot();
        using var holder = await HeldSlot.TakeAsync(Simple);
        using var cancel = new CancellationTokenSource();
        var queued = client.UnaryAsync(Infer, SimpleTyped(), cancellationToken: cancel.Token);
        await LoadControlHost.WaitUntil(() => Simple.Snapshot().Queued == 1);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        await LoadControlHost.WaitUntil(() => Simple.Snapshot().Queued == 0);
        holder.Dispose();

        var after = Simple.Snapshot();
        Assert.Equal(1, after.Cancelled - before.Cancelled);
        Assert.Equal(1, after.Admitted - before.Admitted);
    }

    [Fact]
    public async Task ARunningCallThatIsCancelledStopsItsRunAndFreesTheSlotAtOnce()
    {
        var slow = fixture.Host.ModelGate("slow");
        var full = Stopwatch.StartNew();
        (await client.UnaryAsync(Infer, Slow(rows: 64))).Single(ModelInferResponse.Parser);
        var fullRun = full.Elapsed;

        using var cancel = new CancellationTokenSource();
        var running = client.UnaryAsync(Infer, Slow(rows: 32768), cancellationToken: cancel.Token);
        await LoadControlHost.WaitUntil(() => slow.Snapshot().Running == 1);
        var cancelled = Stopwatch.StartNew();
        await cancel.CancelAsync();
        await LoadControlHost.WaitUntil(() => slow.Snapshot().Running == 0);

        // 32768 rows take about 512 times the 64-row run (see the HTTP test for the wide margin).
        Assert.True(cancelled.Elapsed < fullRun * 128, $"the slot was freed {cancelled.Elapsed} after the cancel; a 64-row run takes {fullRun}");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task ADeadlinePassingWhileRunningStopsTheRun()
    {
        var stopwatch = Stopwatch.StartNew();
        var reply = await client.UnaryAsync(Infer, Slow(rows: 4096), [("grpc-timeout", "300m")]);

        Assert.EndsWith("its run was stopped", reply.Failed(GrpcStatusCode.DeadlineExceeded), StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"answered after {stopwatch.Elapsed}");
        Assert.Equal(0, fixture.Host.ModelGate("slow").Snapshot().Running);
    }

    private static ModelInferRequest Slow(int rows, string id = "")
    {
        var request = new ModelInferRequest { ModelName = "slow", Id = id };
        request.Inputs.Add(new InferInputTensor { Name = "X", Datatype = "FP32", Shape = { rows, LoadControlHost.SlowWidth } });
        request.RawInputContents.Add(ByteString.CopyFrom(new byte[rows * LoadControlHost.SlowWidth * 4]));
        return request;
    }

    private static async Task Track(Task<GrpcReply> call, List<string> order)
    {
        var reply = await call;
        lock (order)
        {
            order.Add(reply.Single(ModelInferResponse.Parser).Id);
        }
    }

    public void Dispose() => client.Dispose();
}
