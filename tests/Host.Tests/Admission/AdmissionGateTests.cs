using Inference.Host.Admission;

namespace Inference.Host.Tests.Admission;

/// <summary>The gate at each boundary (optimal, between, max, max + 1), queue order, cancellation and live limits.</summary>
public sealed class AdmissionGateTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task UpToOptimalRunAtOnceBetweenOptimalAndMaxQueueAndBeyondMaxAreRefused()
    {
        var gate = new AdmissionGate(optimal: 2, max: 4);

        var first = await gate.EnterAsync(0, CancellationToken.None);
        var second = await gate.EnterAsync(0, CancellationToken.None);
        var third = gate.EnterAsync(0, CancellationToken.None);
        var fourth = gate.EnterAsync(0, CancellationToken.None);
        var fifth = await gate.EnterAsync(0, CancellationToken.None);

        Assert.True(first.IsAdmitted);
        Assert.True(second.IsAdmitted);
        Assert.False(third.IsCompleted);
        Assert.False(fourth.IsCompleted);
        Assert.Equal(AdmissionDecision.Rejected, fifth.Decision);
        Assert.Equal(new AdmissionSnapshot(2, 4, Running: 2, Queued: 2, Admitted: 2, Rejected: 1, Cancelled: 0, Expired: 0), gate.Snapshot());

        first.Dispose();
        var started = await third.AsTask().WaitAsync(Wait);
        Assert.True(started.IsAdmitted);
        Assert.False(fourth.IsCompleted);
        Assert.Equal(2, gate.Snapshot().Running);
        Assert.Equal(1, gate.Snapshot().Queued);

        second.Dispose();
        started.Dispose();
        (await fourth.AsTask().WaitAsync(Wait)).Dispose();
        Assert.Equal(new AdmissionSnapshot(2, 4, 0, 0, 4, 1, 0, 0), gate.Snapshot());
    }

    [Fact]
    public async Task ARefusalFreesNothingAndTheNextAfterAReleaseIsAdmitted()
    {
        var gate = new AdmissionGate(1, 1);
        var only = await gate.EnterAsync(0, CancellationToken.None);

        Assert.Equal(AdmissionDecision.Rejected, (await gate.EnterAsync(0, CancellationToken.None)).Decision);
        only.Dispose();

        var next = await gate.EnterAsync(0, CancellationToken.None);
        Assert.True(next.IsAdmitted);
        Assert.Equal(1, gate.Snapshot().Running);
    }

    [Fact]
    public async Task WaitersStartByPriorityThenInArrivalOrder()
    {
        var gate = new AdmissionGate(1, 10);
        var holder = await gate.EnterAsync(0, CancellationToken.None);
        var order = new List<string>();
        var waiters = new[] { ("low-1", 0), ("high-1", 5), ("low-2", 0), ("high-2", 5), ("mid", 2) }
            .Select(w => (w.Item1, Task: gate.EnterAsync(w.Item2, CancellationToken.None).AsTask()))
            .ToList();

        holder.Dispose();
        for (var i = 0; i < waiters.Count; i++)
        {
            var next = await Task.WhenAny(waiters.Where(w => !order.Contains(w.Item1)).Select(w => w.Task)).WaitAsync(Wait);
            var name = waiters.Single(w => w.Task == next).Item1;
            order.Add(name);
            Assert.Equal(1, gate.Snapshot().Running);
            (await next).Dispose();
        }

        Assert.Equal(["high-1", "high-2", "mid", "low-1", "low-2"], order);
    }

    [Fact]
    public async Task ACancelledWaiterLeavesTheQueueNeverRunsAndFreesItsPlace()
    {
        var gate = new AdmissionGate(1, 2);
        var holder = await gate.EnterAsync(0, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = gate.EnterAsync(0, cancel.Token);
        Assert.Equal(AdmissionDecision.Rejected, (await gate.EnterAsync(0, CancellationToken.None)).Decision);

        await cancel.CancelAsync();
        var lease = await waiting.AsTask().WaitAsync(Wait);

        Assert.Equal(AdmissionDecision.Cancelled, lease.Decision);
        Assert.Equal(0, gate.Snapshot().Queued);
        var replacement = gate.EnterAsync(0, CancellationToken.None);
        Assert.False(replacement.IsCompleted);
        holder.Dispose();
        Assert.True((await replacement.AsTask().WaitAsync(Wait)).IsAdmitted);
        lease.Dispose(); // a cancelled lease holds no slot: disposing it must not free one
        Assert.Equal(1, gate.Snapshot().Running);
        Assert.Equal(1, gate.Snapshot().Cancelled);
    }

    [Fact]
    public async Task AnAlreadyCancelledTokenIsNotQueued()
    {
        var gate = new AdmissionGate(1, 3);
        using var holder = await gate.EnterAsync(0, CancellationToken.None);

        var lease = await gate.EnterAsync(0, new CancellationToken(canceled: true));

        Assert.Equal(AdmissionDecision.Cancelled, lease.Decision);
        Assert.Equal(0, gate.Snapshot().Queued);
    }

    [Fact]
    public async Task AWaiterWhoseDeadlinePassesLeavesTheQueueAsExpiredAndNeverRuns()
    {
        var gate = new AdmissionGate(1, 4);
        var holder = await gate.EnterAsync(0, CancellationToken.None);
        using var deadline = new CancellationTokenSource();
        var late = gate.EnterAsync(0, CancellationToken.None, deadline.Token);
        var patient = gate.EnterAsync(0, CancellationToken.None);

        await deadline.CancelAsync();
        var lateLease = await late.AsTask().WaitAsync(Wait);

        Assert.Equal(AdmissionDecision.Expired, lateLease.Decision);
        Assert.Equal(1, gate.Snapshot().Queued);
        holder.Dispose();
        Assert.True((await patient.AsTask().WaitAsync(Wait)).IsAdmitted);
        Assert.Equal(new AdmissionSnapshot(1, 4, Running: 1, Queued: 0, Admitted: 2, Rejected: 0, Cancelled: 0, Expired: 1), gate.Snapshot());
    }

    [Fact]
    public async Task AnAlreadyExpiredDeadlineIsNotQueuedButAFreeSlotStillAdmits()
    {
        var gate = new AdmissionGate(1, 3);
        var expired = new CancellationToken(canceled: true);

        using var first = await gate.EnterAsync(0, CancellationToken.None, expired);
        var second = await gate.EnterAsync(0, CancellationToken.None, expired);

        Assert.True(first.IsAdmitted); // a free slot: the endpoint's own deadline check answers it
        Assert.Equal(AdmissionDecision.Expired, second.Decision);
        Assert.Equal(0, gate.Snapshot().Queued);
        Assert.Equal(1, gate.Snapshot().Expired);
    }

    [Fact]
    public async Task RejectIfFullRefusesOnlyAtMaxAndReservesNothing()
    {
        var gate = new AdmissionGate(1, 2);
        using var running = await gate.EnterAsync(0, CancellationToken.None);

        Assert.False(gate.RejectIfFull());
        var queued = gate.EnterAsync(0, CancellationToken.None);
        Assert.True(gate.RejectIfFull());

        Assert.Equal(new AdmissionSnapshot(1, 2, Running: 1, Queued: 1, Admitted: 1, Rejected: 1, Cancelled: 0, Expired: 0), gate.Snapshot());
        running.Dispose();
        (await queued.AsTask().WaitAsync(Wait)).Dispose();
    }

    [Fact]
    public void ChangingTheConcurrencyKeepsTheDefaultTimeout()
    {
        var gate = new AdmissionGate(new LoadLimits(1, 2, TimeoutMicroseconds: 5000));

        gate.SetLimits(2, 8);

        Assert.Equal(new LoadLimits(2, 8, 5000), gate.Limits);
        Assert.Throws<ArgumentOutOfRangeException>(() => gate.SetLimits(new LoadLimits(2, 8, -1)));
        Assert.Equal(new LoadLimits(2, 8, 5000), gate.Limits);
    }

    [Fact]
    public async Task RaisingOptimalStartsWaitersAtOnce()
    {
        var gate = new AdmissionGate(1, 5);
        using var holder = await gate.EnterAsync(0, CancellationToken.None);
        var a = gate.EnterAsync(0, CancellationToken.None);
        var b = gate.EnterAsync(0, CancellationToken.None);

        gate.SetLimits(3, 5);

        Assert.True((await a.AsTask().WaitAsync(Wait)).IsAdmitted);
        Assert.True((await b.AsTask().WaitAsync(Wait)).IsAdmitted);
        Assert.Equal(3, gate.Snapshot().Running);
    }

    [Fact]
    public async Task LoweringTheLimitsDropsNoAcceptedWork()
    {
        var gate = new AdmissionGate(3, 6);
        var running = new[] { await gate.EnterAsync(0, CancellationToken.None), await gate.EnterAsync(0, CancellationToken.None), await gate.EnterAsync(0, CancellationToken.None) };
        var queued = gate.EnterAsync(0, CancellationToken.None);

        gate.SetLimits(1, 1);

        Assert.Equal(3, gate.Snapshot().Running);
        Assert.Equal(1, gate.Snapshot().Queued);
        Assert.Equal(AdmissionDecision.Rejected, (await gate.EnterAsync(0, CancellationToken.None)).Decision);
        running[0].Dispose();
        running[1].Dispose();
        Assert.False(queued.IsCompleted); // still 1 running, at the new optimum
        running[2].Dispose();
        Assert.True((await queued.AsTask().WaitAsync(Wait)).IsAdmitted);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 1)]
    public void LimitsMustBeAtLeastOneWithMaxNotBelowOptimal(int optimal, int max)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdmissionGate(optimal, max));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdmissionGate(1, 1).SetLimits(optimal, max));
    }

    [Fact]
    public async Task ManyConcurrentCallersNeverExceedOptimalRunningOrMaxInside()
    {
        var gate = new AdmissionGate(3, 8);
        var peak = 0;
        var observed = new Lock();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            await Task.Yield();
            using var lease = await gate.EnterAsync(i % 3, CancellationToken.None);
            if (!lease.IsAdmitted)
            {
                return lease.Decision;
            }

            var snapshot = gate.Snapshot();
            lock (observed)
            {
                peak = Math.Max(peak, snapshot.Running);
            }

            Assert.True(snapshot.Running + snapshot.Queued <= 8);
            await Task.Delay(1);
            return lease.Decision;
        }));

        Assert.InRange(peak, 1, 3);
        var final = gate.Snapshot();
        Assert.Equal(0, final.Running);
        Assert.Equal(0, final.Queued);
        Assert.Equal(200, final.Admitted + final.Rejected);
        Assert.Equal(final.Admitted, outcomes.Count(o => o == AdmissionDecision.Admitted));
    }
}
