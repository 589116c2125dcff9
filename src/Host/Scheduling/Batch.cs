using System.Diagnostics;
using Inference.Onnx.Runtime;

namespace Inference.Host.Scheduling;

/// <summary>
/// Requests taken from the queue together, run once on one instance (on a thread-pool thread).
/// A member cancelled meanwhile gets no answer; the run itself is terminated only when every
/// member is cancelled, since the others still want theirs.
/// </summary>
internal sealed class Batch(DynamicBatcher owner, PendingRequest[] members, long rows, ModelInstance instance) : IThreadPoolWorkItem
{
    private OrtRunOptions? runOptions;
    private int cancelled;

    public IReadOnlyList<PendingRequest> Members => members;

    public long Rows => rows;

    public void MemberCancelled()
    {
        if (Interlocked.Increment(ref cancelled) == members.Length)
        {
            // Read after the count: if the run has not set its options yet, it sees the count instead.
            Volatile.Read(ref runOptions)?.Terminate();
        }
    }

    public void Execute()
    {
        // The members' wait (in the queue, for an instance, for this thread) ends here.
        var taken = Stopwatch.GetTimestamp();
        var results = new OrtValue?[]?[members.Length];
        var failures = new Exception?[members.Length];
        try
        {
            var options = ThreadRunOptions.Get();
            Interlocked.Exchange(ref runOptions, options);
            if (Volatile.Read(ref cancelled) < members.Length)
            {
                if (members.Length == 1)
                {
                    Run(members[0], options, results, failures, 0, taken);
                }
                else
                {
                    RunMerged(options, results, failures, taken);
                }
            }
        }
        catch (Exception e)
        {
            // Nothing may escape a thread-pool work item: it would end the process.
            Array.Fill(failures, e);
        }
        finally
        {
            Interlocked.Exchange(ref runOptions, null);
            foreach (var member in members)
            {
                // Waits out a Terminate in progress before these options serve another run on this thread.
                member.Registration.Dispose();
            }

            owner.Instances.Release(instance);
        }

        for (var m = 0; m < members.Length; m++)
        {
            members[m].Finish(results[m], failures[m]);
        }
    }

    private void RunMerged(OrtRunOptions options, OrtValue?[]?[] results, Exception?[] failures, long taken)
    {
        OrtValue?[][]? split;
        (int Output, long[] Shape) mismatch;
        var start = Stopwatch.GetTimestamp();
        long inputReady, inferDone;
        try
        {
            var inputs = BatchInputs.Concatenate(members, owner.Inputs, rows, owner.Buffers);
            inputReady = Stopwatch.GetTimestamp();
            var outputs = new OrtValue?[members[0].Bound.OutputIndices.Length];
            try
            {
                instance.Run(owner.SessionOrder, inputs, members[0].Bound.OutputIndices, outputs, options);
            }
            finally
            {
                foreach (var input in inputs)
                {
                    input.Dispose();
                }
            }

            inferDone = Stopwatch.GetTimestamp();
            split = BatchOutputs.Split(outputs, members, rows, out mismatch);
        }
        catch (Exception e)
        {
            Array.Fill(failures, e);
            return;
        }

        if (split is null)
        {
            owner.ReportMismatch(members[0].Bound.OutputIndices[mismatch.Output], rows, mismatch.Shape);
            for (var m = 0; m < members.Length; m++)
            {
                if (!members[m].Token.IsCancellationRequested)
                {
                    // Each waited for the ones before it: their own run is what they count as compute.
                    Run(members[m], options, results, failures, m, Stopwatch.GetTimestamp());
                }
            }

            return;
        }

        owner.Statistics.RecordExecution(rows, start, inputReady, inferDone, Stopwatch.GetTimestamp());
        var timing = new RunTiming(taken, inputReady, inferDone);
        foreach (var member in members)
        {
            member.Bound.Timing = timing;
        }

        split.CopyTo(results, 0);
    }

    /// <summary>Runs one member on its own inputs (no copy).</summary>
    private void Run(PendingRequest member, OrtRunOptions options, OrtValue?[]?[] results, Exception?[] failures, int index, long taken)
    {
        var bound = member.Bound;
        var outputs = new OrtValue?[bound.OutputIndices.Length];
        var start = Stopwatch.GetTimestamp();
        try
        {
            instance.Run(bound.InputIndices, bound.Values, bound.OutputIndices, outputs, options);
        }
        catch (Exception e)
        {
            failures[index] = e;
            return;
        }

        var done = Stopwatch.GetTimestamp();
        owner.Statistics.RecordExecution(member.Rows, start, start, done, done);
        bound.Timing = new RunTiming(taken, start, done);
        results[index] = outputs;
    }
}
