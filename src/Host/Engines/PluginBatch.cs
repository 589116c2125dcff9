using Inference.Plugins.Sdk;

namespace Inference.Host.Engines;

/// <summary>
/// Requests taken from a <see cref="PluginBatcher"/>'s queue together, to be run in one plugin call.
/// A member cancelled meanwhile leaves at once; the call itself is cancelled only when every member
/// has gone, since the others still want their results.
/// </summary>
internal sealed class PluginBatch(PluginBatchMember[] members)
{
    // Never disposed: it has no timer, and a late member cancellation must still find it usable.
    private readonly CancellationTokenSource cancellation = new();
    private int cancelled;

    public IReadOnlyList<PluginBatchMember> Members => members;

    /// <summary>Cancelled when every member is.</summary>
    public CancellationToken Token => cancellation.Token;

    public void MemberCancelled()
    {
        if (Interlocked.Increment(ref cancelled) == members.Length)
        {
            try
            {
                cancellation.Cancel();
            }
            catch (AggregateException)
            {
                // A plugin's own callback on the token failed; the call is ending either way.
            }
        }
    }

    /// <summary>Runs the members on <paramref name="plugin"/>: one alone through ExecuteAsync, more through the batch call.</summary>
    public async Task<IReadOnlyList<PluginResult>> RunAsync(IEnginePlugin plugin)
    {
        if (members.Length == 1)
        {
            return [await plugin.ExecuteAsync(members[0].Request, Token).ConfigureAwait(false)];
        }

        var requests = new PluginRequest[members.Length];
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = members[i].Request;
        }

        var results = await ((IBatchingPlugin)plugin).ExecuteBatchAsync(requests, Token).ConfigureAwait(false);
        return results is not null && results.Count == members.Length
            ? results
            : throw new InvalidOperationException($"{plugin.GetType().FullName}.ExecuteBatchAsync returned {results?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"} results for {members.Length} requests");
    }
}
