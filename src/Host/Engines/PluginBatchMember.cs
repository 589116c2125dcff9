using Inference.Plugins.Sdk;

namespace Inference.Host.Engines;

/// <summary>
/// A request waiting in (or taken from) a <see cref="PluginBatcher"/>'s queue, and the task its caller
/// awaits. Its token is registered from before it is queued until its batch has run.
/// </summary>
internal sealed class PluginBatchMember
{
    private readonly PluginBatcher owner;

    public PluginBatchMember(PluginBatcher owner, PluginRequest request, CancellationToken token)
    {
        this.owner = owner;
        Request = request;
        Token = token;
        Node = new LinkedListNode<PluginBatchMember>(this);
    }

    public PluginRequest Request { get; }

    public CancellationToken Token { get; }

    public LinkedListNode<PluginBatchMember> Node { get; }

    public long EnqueuedAt { get; set; }

    /// <summary>Set (under the batcher's lock) when taken into a batch.</summary>
    public PluginBatch? Batch { get; set; }

    public CancellationTokenRegistration Registration { get; set; }

    public TaskCompletionSource<PluginResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OnCancelled() => owner.Cancel(this);

    /// <summary>Hands over its result or the batch's failure (a caller that has gone gets neither).</summary>
    public void Finish(PluginResult? result, Exception? failure)
    {
        if (failure is null)
        {
            Completion.TrySetResult(result!);
        }
        else if (failure is OperationCanceledException && Token.IsCancellationRequested)
        {
            Completion.TrySetCanceled(Token);
        }
        else
        {
            // One exception object per caller: several awaiters rethrowing one object would race on its stack trace.
            Completion.TrySetException(failure switch
            {
                PluginException plugin => new PluginException(plugin.Code, plugin.Message),
                _ => new InvalidOperationException($"the plugin's batch call failed: {failure.Message}", failure),
            });
        }
    }
}
