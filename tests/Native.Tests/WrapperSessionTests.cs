using System.Text;

namespace Inference.Native.Tests;

[Collection(SamplePluginCollection.Name)]
public sealed class WrapperSessionTests(SamplePluginFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASessionStreamsPartialResultsThenTheEnd(bool asyncMode)
    {
        using var session = fixture.Plugin.CreateSession($"s-{asyncMode}", new Dictionary<string, string> { ["mode"] = "upper" }, asyncMode);

        session.Write([WrapperPluginTests.Text("hel", WrapperDataStatus.Begin)]);
        session.Write([WrapperPluginTests.Text("lo ", WrapperDataStatus.Continue)]);
        session.Write([WrapperPluginTests.Text("you", WrapperDataStatus.End)]);
        await session.PollUntilEndAsync(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(5));

        var results = new List<WrapperData>();
        await foreach (var item in session.Results.ReadAllAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token))
        {
            results.Add(item);
        }

        Assert.Equal(
            [("HEL", WrapperDataStatus.Begin), ("LO ", WrapperDataStatus.Continue), ("YOU", WrapperDataStatus.Continue), ("HELLO YOU", WrapperDataStatus.End)],
            results.Select(r => (Encoding.UTF8.GetString(r.Data.Span), r.Status)));
        Assert.True(session.Completed);
        Assert.Equal("text_wrapper session", session.DebugInfo);
    }

    [Fact]
    public void CreateFailuresCarryThePluginsText()
    {
        var e = Assert.Throws<WrapperException>(() => fixture.Plugin.CreateSession("bad", new Dictionary<string, string> { ["mode"] = "sideways" }, asyncMode: false));

        Assert.Equal("wrapperCreate", e.Function);
        Assert.Equal(20004, e.Code);
    }

    [Fact]
    public void AClosedSessionRefusesWrites()
    {
        var session = fixture.Plugin.CreateSession("closed", new Dictionary<string, string>(), asyncMode: false);
        session.Dispose();
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Write([WrapperPluginTests.Text("x", WrapperDataStatus.Begin)]));
    }

    [Fact]
    public async Task ManySessionsAtOnceStayApart()
    {
        var tasks = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            using var session = fixture.Plugin.CreateSession($"many-{i}", new Dictionary<string, string> { ["mode"] = "lower" }, asyncMode: i % 2 == 0);
            session.Write([WrapperPluginTests.Text($"PART{i}-", WrapperDataStatus.Begin)]);
            session.Write([WrapperPluginTests.Text("END", WrapperDataStatus.End)]);
            await session.PollUntilEndAsync(TimeSpan.FromMilliseconds(2), TimeSpan.FromSeconds(5));
            var last = (await session.Results.ReadAllAsync().ToListAsync())[^1];
            Assert.Equal($"part{i}-end", Encoding.UTF8.GetString(last.Data.Span));
        }));

        await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task ASyncSessionReadsOnlyWhileItsQueueHasRoomAndLeavesTheRestInThePlugin()
    {
        using var session = fixture.Plugin.CreateSession("bounded-sync", new Dictionary<string, string>(), asyncMode: false, resultCapacity: 2);

        for (var i = 0; i < 5; i++)
        {
            session.Write([WrapperPluginTests.Text($"{i}", i == 0 ? WrapperDataStatus.Begin : WrapperDataStatus.Continue)]);
        }

        Assert.Equal(2, session.Results.Count); // the reader took nothing: three results wait in the plugin
        Assert.False(session.WaitForRoomAsync().IsCompleted);

        var read = new List<string>();
        Assert.True(session.Results.TryRead(out var first));
        read.Add(Encoding.UTF8.GetString(first.Data.Span));
        Assert.True(session.WaitForRoomAsync().IsCompleted);
        session.Write([WrapperPluginTests.Text("5", WrapperDataStatus.End)]); // reads one more: the queue is full again
        Assert.Equal(2, session.Results.Count);
        var draining = Task.Run(async () =>
        {
            await foreach (var item in session.Results.ReadAllAsync())
            {
                read.Add(Encoding.UTF8.GetString(item.Data.Span));
            }
        });
        await session.PollUntilEndAsync(TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));
        await draining.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["0", "1", "2", "3", "4", "5", "012345"], read);
    }

    [Fact]
    public async Task AnAsyncSessionThatOutrunsItsReaderPastTwiceTheCapacityFails()
    {
        using var session = fixture.Plugin.CreateSession("bounded-async", new Dictionary<string, string>(), asyncMode: true, resultCapacity: 1);

        session.Write([WrapperPluginTests.Text("a", WrapperDataStatus.Begin)]);
        session.Write([WrapperPluginTests.Text("b", WrapperDataStatus.Continue)]); // two: the burst limit
        session.Write([WrapperPluginTests.Text("c", WrapperDataStatus.Continue)]);

        var results = new List<WrapperData>();
        var e = await Assert.ThrowsAsync<ResultOverflowException>(async () =>
        {
            await foreach (var item in session.Results.ReadAllAsync())
            {
                results.Add(item);
            }
        });

        Assert.Equal(2, e.Held);
        Assert.Equal(2, results.Count);
    }
}
