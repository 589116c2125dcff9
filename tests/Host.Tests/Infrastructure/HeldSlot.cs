using Inference.Host.Admission;

namespace Inference.Host.Tests.Infrastructure;

/// <summary>
/// A running slot a test takes from a gate, to make the requests it sends next queue; releasing it
/// (explicitly, or on dispose when an assertion failed first) lets them run. Releases once.
/// </summary>
public sealed class HeldSlot : IDisposable
{
    // Ahead of anything already queued, so the test's slot never waits behind the requests it holds back.
    private const int AheadOfAll = int.MaxValue;

    private AdmissionLease lease;
    private bool released;

    private HeldSlot(AdmissionLease lease) => this.lease = lease;

    public static async Task<HeldSlot> TakeAsync(AdmissionGate gate)
    {
        var lease = await gate.EnterAsync(AheadOfAll, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(lease.IsAdmitted, $"the test could not take a slot: {lease.Decision}");
        return new HeldSlot(lease);
    }

    public void Dispose()
    {
        if (!released)
        {
            released = true;
            lease.Dispose();
        }
    }
}
