using System.Diagnostics.Tracing;
using System.Runtime.InteropServices;

namespace Inference.Benchmarks.InferPath;

/// <summary>
/// Counts the runtime's GCAllocationTick events (one per ~100 KB allocated, naming the type of the
/// allocation that crossed the mark) by type, for the thread that started sampling. Over many
/// requests the share of ticks per type is its share of the bytes allocated.
/// </summary>
internal sealed partial class AllocationSampler : EventListener
{
    private const int AllocationTickEventId = 10;
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly Dictionary<string, int> ticks = new(StringComparer.Ordinal);
    private long threadId = -1;
    private bool sampling;

    public IReadOnlyDictionary<string, int> Ticks => ticks;

    public int Total { get; private set; }

    /// <summary>Samples allocations made on the calling thread from now on.</summary>
    public void Start()
    {
        threadId = GetTid();
        Volatile.Write(ref sampling, true);
    }

    public void Stop() => Volatile.Write(ref sampling, false);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId != AllocationTickEventId || !Volatile.Read(ref sampling) || eventData.OSThreadId != threadId || eventData.Payload is null)
        {
            return;
        }

        var index = eventData.PayloadNames!.IndexOf("TypeName");
        var type = index >= 0 ? eventData.Payload[index] as string ?? "?" : "?";
        lock (ticks)
        {
            ticks[type] = ticks.GetValueOrDefault(type) + 1;
            Total++;
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
