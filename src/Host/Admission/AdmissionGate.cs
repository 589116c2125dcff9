namespace Inference.Host.Admission;

/// <summary>
/// The load cap of one engine version, the ASE way with a queue: up to <c>optimal</c> requests run at
/// once; beyond that they wait in priority order (higher first, FIFO within a priority); once
/// <c>max</c> requests are in (running + waiting) the next is refused at once. A waiter whose token is
/// cancelled leaves the queue and never runs. Limits can change live; lowering them never drops work
/// already admitted or queued, it only delays new starts until the running count is under the new optimum.
/// </summary>
public sealed class AdmissionGate
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<int, LinkedList<Waiter>> waiting = new(Comparer<int>.Create(static (a, b) => b.CompareTo(a)));
    private int optimal;
    private int max;
    private int running;
    private int queued;
    private long admitted;
    private long rejected;
    private long cancelled;

    public AdmissionGate(int optimal, int max)
    {
        Validate(optimal, max);
        this.optimal = optimal;
        this.max = max;
    }

    public AdmissionSnapshot Snapshot()
    {
        lock (gate)
        {
            return new AdmissionSnapshot(optimal, max, running, queued, admitted, rejected, cancelled);
        }
    }

    /// <summary>Waits for a running slot; completes synchronously (without allocating) when one is free or the gate is full.</summary>
    public ValueTask<AdmissionLease> EnterAsync(int priority, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (gate)
        {
            if (running + queued >= max)
            {
                rejected++;
                return ValueTask.FromResult(new AdmissionLease(this, AdmissionDecision.Rejected));
            }

            if (running < optimal && queued == 0)
            {
                running++;
                admitted++;
                return ValueTask.FromResult(new AdmissionLease(this, AdmissionDecision.Admitted));
            }

            if (cancellationToken.IsCancellationRequested)
            {
                cancelled++;
                return ValueTask.FromResult(new AdmissionLease(this, AdmissionDecision.Cancelled));
            }

            waiter = new Waiter(this, priority);
            if (!waiting.TryGetValue(priority, out var list))
            {
                waiting[priority] = list = new LinkedList<Waiter>();
            }

            waiter.Node = list.AddLast(waiter);
            queued++;
        }

        return waiter.WaitAsync(cancellationToken);
    }

    /// <summary>Changes both limits live; waiters start at once if the new optimum leaves room.</summary>
    public void SetLimits(int newOptimal, int newMax)
    {
        Validate(newOptimal, newMax);
        lock (gate)
        {
            optimal = newOptimal;
            max = newMax;
            StartWaitersLocked();
        }
    }

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
        while (running < optimal && queued > 0)
        {
            var (priority, list) = waiting.First();
            var waiter = list.First!.Value;
            Remove(priority, list, waiter);
            running++;
            admitted++;
            waiter.Complete(AdmissionDecision.Admitted);
        }
    }

    /// <summary>The waiter's token fired: take it out if it is still waiting.</summary>
    private void Cancel(Waiter waiter)
    {
        lock (gate)
        {
            if (waiter.Node?.List is not { } list)
            {
                return; // already started
            }

            Remove(waiter.Priority, list, waiter);
            cancelled++;
        }

        waiter.Complete(AdmissionDecision.Cancelled);
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

    private static void Validate(int optimal, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(optimal, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, optimal);
    }

    private sealed class Waiter(AdmissionGate owner, int priority)
    {
        private readonly TaskCompletionSource<AdmissionDecision> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Priority { get; } = priority;

        public LinkedListNode<Waiter>? Node { get; set; }

        public void Complete(AdmissionDecision decision) => completion.TrySetResult(decision);

        public void CancelWaiting() => owner.Cancel(this);

        public async ValueTask<AdmissionLease> WaitAsync(CancellationToken cancellationToken)
        {
            AdmissionDecision decision;
            using (cancellationToken.Register(static s => ((Waiter)s!).CancelWaiting(), this))
            {
                decision = await completion.Task.ConfigureAwait(false);
            }

            return new AdmissionLease(owner, decision);
        }
    }
}
