using Inference.Host.Observability;

namespace Inference.Host.Admission;

/// <summary>
/// The load cap of one engine version, the ASE way with a queue: up to <c>optimal</c> requests run at
/// once; beyond that they wait in priority order (higher first, FIFO within a priority); once
/// <c>max</c> requests are in (running + waiting) the next is refused at once. A waiter whose client
/// goes away or whose deadline passes leaves the queue and never runs. Limits can change live; lowering
/// them never drops work already admitted or queued, it only delays new starts until the running count
/// is under the new optimum.
/// </summary>
public sealed class AdmissionGate
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<int, LinkedList<Waiter>> waiting = new(Comparer<int>.Create(static (a, b) => b.CompareTo(a)));
    private LoadLimits limits;
    private int running;
    private int queued;
    private long admitted;
    private long rejected;
    private long cancelled;
    private long expired;

    public AdmissionGate(LoadLimits limits)
    {
        Validate(limits);
        this.limits = limits;
    }

    public AdmissionGate(int optimal, int max)
        : this(new LoadLimits(optimal, max))
    {
    }

    /// <summary>The limits in force (they change with <see cref="SetLimits"/>).</summary>
    public LoadLimits Limits => Volatile.Read(ref limits);

    /// <summary>Server time from a request's arrival to its refusal being written, for the stats.</summary>
    public LatencyHistogram RefusalTimes { get; } = new();

    public AdmissionSnapshot Snapshot()
    {
        lock (gate)
        {
            return new AdmissionSnapshot(limits.Optimal, limits.Max, running, queued, admitted, rejected, cancelled, expired);
        }
    }

    /// <summary>
    /// Refuses (and counts the refusal) when max is reached, so a protocol can answer before reading the
    /// body. A false answer reserves nothing: <see cref="EnterAsync"/> decides again.
    /// </summary>
    public bool RejectIfFull()
    {
        lock (gate)
        {
            if (running + queued < limits.Max)
            {
                return false;
            }

            rejected++;
            return true;
        }
    }

    /// <summary>
    /// Waits for a running slot; completes synchronously (without allocating) when one is free or the
    /// gate is full. <paramref name="aborted"/> is the client going away, <paramref name="deadline"/> its
    /// deadline passing: either takes a waiter out of the queue, with its own decision.
    /// </summary>
    public ValueTask<AdmissionLease> EnterAsync(int priority, CancellationToken aborted, CancellationToken deadline = default)
    {
        Waiter waiter;
        lock (gate)
        {
            if (running + queued >= limits.Max)
            {
                rejected++;
                return ValueTask.FromResult(new AdmissionLease(this, AdmissionDecision.Rejected));
            }

            if (running < limits.Optimal && queued == 0)
            {
                running++;
                admitted++;
                return ValueTask.FromResult(new AdmissionLease(this, AdmissionDecision.Admitted));
            }

            if (aborted.IsCancellationRequested)
            {
                cancelled++;
                return ValueTask.FromResult(new AdmissionLease(this, AdmissionDecision.Cancelled));
            }

            if (deadline.IsCancellationRequested)
            {
                expired++;
                return ValueTask.FromResult(new AdmissionLease(this, AdmissionDecision.Expired));
            }

            waiter = new Waiter(this, priority);
            if (!waiting.TryGetValue(priority, out var list))
            {
                waiting[priority] = list = new LinkedList<Waiter>();
            }

            waiter.Node = list.AddLast(waiter);
            queued++;
        }

        return waiter.WaitAsync(aborted, deadline);
    }

    /// <summary>Changes the limits live; waiters start at once if the new optimum leaves room.</summary>
    public void SetLimits(LoadLimits newLimits)
    {
        Validate(newLimits);
        lock (gate)
        {
            Volatile.Write(ref limits, newLimits);
            StartWaitersLocked();
        }
    }

    public void SetLimits(int newOptimal, int newMax) => SetLimits(Limits with { Optimal = newOptimal, Max = newMax });

    internal void Release()
    {
        lock (gate)
        {
            running--;
            StartWaitersLocked();
        }
    }

    private void StartWaitersLocked()
    {
        while (running < limits.Optimal && queued > 0)
        {
            var (priority, list) = waiting.First();
            var waiter = list.First!.Value;
            Remove(priority, list, waiter);
            running++;
            admitted++;
            waiter.Complete(AdmissionDecision.Admitted);
        }
    }

    /// <summary>The waiter's client left or its deadline passed: take it out if it is still waiting.</summary>
    private void Leave(Waiter waiter, AdmissionDecision decision)
    {
        lock (gate)
        {
            if (waiter.Node?.List is not { } list)
            {
                return; // already started, or already left for the other reason
            }

            Remove(waiter.Priority, list, waiter);
            if (decision == AdmissionDecision.Expired)
            {
                expired++;
            }
            else
            {
                cancelled++;
            }
        }

        waiter.Complete(decision);
    }

    private void Remove(int priority, LinkedList<Waiter> list, Waiter waiter)
    {
        list.Remove(waiter.Node!);
        waiter.Node = null;
        queued--;
        if (list.Count == 0)
        {
            waiting.Remove(priority);
        }
    }

    private static void Validate(LoadLimits limits)
    {
        if (limits.Problem() is { } problem)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), problem);
        }
    }

    private sealed class Waiter(AdmissionGate owner, int priority)
    {
        private readonly TaskCompletionSource<AdmissionDecision> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private CancellationToken aborted;

        public int Priority { get; } = priority;

        public LinkedListNode<Waiter>? Node { get; set; }

        public void Complete(AdmissionDecision decision) => completion.TrySetResult(decision);

        public async ValueTask<AdmissionLease> WaitAsync(CancellationToken aborted, CancellationToken deadline)
        {
            this.aborted = aborted;
            AdmissionDecision decision;
            using (aborted.Register(static s => ((Waiter)s!).Leave(AdmissionDecision.Cancelled), this))
            using (deadline.Register(static s => ((Waiter)s!).LeaveAtDeadline(), this))
            {
                decision = await completion.Task.ConfigureAwait(false);
            }

            return new AdmissionLease(owner, decision);
        }

        private void Leave(AdmissionDecision decision) => owner.Leave(this, decision);

        // A deadline token linked to the client's fires too when the client leaves: that is a cancel.
        private void LeaveAtDeadline() => Leave(aborted.IsCancellationRequested ? AdmissionDecision.Cancelled : AdmissionDecision.Expired);
    }
}
