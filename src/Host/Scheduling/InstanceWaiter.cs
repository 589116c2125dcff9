namespace Inference.Host.Scheduling;

/// <summary>A run waiting in <see cref="InstancePool"/> for an instance; its token takes it out of the line.</summary>
internal sealed class InstanceWaiter
{
    private readonly InstancePool pool;
    private readonly CancellationToken cancellationToken;
    private readonly TaskCompletionSource<ModelInstance> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public InstanceWaiter(InstancePool pool, CancellationToken cancellationToken)
    {
        this.pool = pool;
        this.cancellationToken = cancellationToken;
        Node = new LinkedListNode<InstanceWaiter>(this);
    }

    public LinkedListNode<InstanceWaiter> Node { get; }

    public bool Complete(ModelInstance instance) => completion.TrySetResult(instance);

    public void Cancel() => completion.TrySetCanceled(cancellationToken);

    public void Fail(Exception exception) => completion.TrySetException(exception);

    public async Task<ModelInstance> WaitAsync()
    {
        using (cancellationToken.Register(static s => ((InstanceWaiter)s!).CancelWaiting(), this))
        {
            return await completion.Task.ConfigureAwait(false);
        }
    }

    private void CancelWaiting() => pool.Cancel(this);
}
