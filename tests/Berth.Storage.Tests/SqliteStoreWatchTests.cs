using static Berth.Storage.Tests.TestStore;

namespace Berth.Storage.Tests;

public sealed class SqliteStoreWatchTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task WatchAsync_FromRevision_ReplaysExactlyTheMissedEvents()
    {
        await using var store = await OpenAsync(_directory);
        await store.CreateAsync("/p/a", Bytes("a1"), CancellationToken.None);
        await store.CreateAsync("/p/b", Bytes("b1"), CancellationToken.None);
        await store.UpdateAsync("/p/a", Bytes("a2"), 0, CancellationToken.None);
        await store.DeleteAsync("/p/b", 0, CancellationToken.None);

        await using var events = store.WatchAsync("/p/", 1, TestTimeout).GetAsyncEnumerator();
        var replayed = await TakeAsync(events, 3);

        AssertEvents(replayed, (StoreEventType.Created, "/p/b", "b1", 2), (StoreEventType.Modified, "/p/a", "a2", 3), (StoreEventType.Deleted, "/p/b", "b1", 4));
        Assert.Equal(2, replayed[2].Value.CreateRevision);
    }

    [Fact]
    public async Task WatchAsync_AfterHistory_FollowsLiveWrites()
    {
        await using var store = await OpenAsync(_directory);
        await store.CreateAsync("/p/a", Bytes("a1"), CancellationToken.None);
        await using var events = store.WatchAsync("/p/", 0, TestTimeout).GetAsyncEnumerator();
        var history = await TakeAsync(events, 1);

        await store.UpdateAsync("/p/a", Bytes("a2"), 0, CancellationToken.None);
        await store.CreateAsync("/other", Bytes("x"), CancellationToken.None);
        await store.DeleteAsync("/p/a", 0, CancellationToken.None);
        var live = await TakeAsync(events, 2);

        AssertEvents(history, (StoreEventType.Created, "/p/a", "a1", 1));
        AssertEvents(live, (StoreEventType.Modified, "/p/a", "a2", 2), (StoreEventType.Deleted, "/p/a", "a2", 4));
    }

    [Fact]
    public async Task WatchAsync_AfterReopen_ReplaysFromTheLogTable()
    {
        await using (var store = await OpenAsync(_directory))
        {
            await store.CreateAsync("/p/a", Bytes("a1"), CancellationToken.None);
            await store.UpdateAsync("/p/a", Bytes("a2"), 0, CancellationToken.None);
            await store.CreateAsync("/q/x", Bytes("x"), CancellationToken.None);
            await store.DeleteAsync("/p/a", 0, CancellationToken.None);
        }

        await using var reopened = await OpenAsync(_directory);
        await using var events = reopened.WatchAsync("/p/", 0, TestTimeout).GetAsyncEnumerator();
        var replayed = await TakeAsync(events, 3);
        await reopened.CreateAsync("/p/b", Bytes("b1"), CancellationToken.None);
        var live = await TakeAsync(events, 1);

        AssertEvents(replayed, (StoreEventType.Created, "/p/a", "a1", 1), (StoreEventType.Modified, "/p/a", "a2", 2), (StoreEventType.Deleted, "/p/a", "a2", 4));
        AssertEvents(live, (StoreEventType.Created, "/p/b", "b1", 5));
    }

    [Fact]
    public async Task WatchAsync_OlderThanEventCache_ReplaysLogThenCacheWithoutGap()
    {
        await using var store = await OpenAsync(_directory, o => o.EventCacheSize = 8);
        for (var i = 1; i <= 1200; i++)
        {
            await store.CreateAsync($"/k/{i:D4}", Bytes("v"), CancellationToken.None);
        }

        await using var events = store.WatchAsync("/k/", 100, TestTimeout).GetAsyncEnumerator();
        var replayed = await TakeAsync(events, 1100);

        Assert.Equal(Enumerable.Range(101, 1100).Select(i => (long)i), replayed.Select(e => e.Revision));
    }

    [Fact]
    public async Task WatchAsync_Prefix_SkipsOtherKeys()
    {
        await using var store = await OpenAsync(_directory);
        await store.CreateAsync("/registry/pods/a", Bytes("1"), CancellationToken.None);
        await store.CreateAsync("/registry/podsx/a", Bytes("2"), CancellationToken.None);
        await store.CreateAsync("/registry/pods/b", Bytes("3"), CancellationToken.None);

        await using var events = store.WatchAsync("/registry/pods/", 0, TestTimeout).GetAsyncEnumerator();
        var replayed = await TakeAsync(events, 2);

        Assert.Equal(["/registry/pods/a", "/registry/pods/b"], replayed.Select(e => e.Value.Key));
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(16)]
    public async Task WatchAsync_StartedDuringConcurrentWrites_SeesEveryRevisionOnceInOrder(int eventCacheSize)
    {
        const int Writes = 2000;
        await using var store = await OpenAsync(_directory, o =>
        {
            o.EventCacheSize = eventCacheSize;
            o.WatcherBufferSize = Writes;
        });
        var firstWrites = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var created = 0;
        var writers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < Writes; i += 16)
            {
                await store.CreateAsync($"/k/{i}", Bytes("v"), CancellationToken.None);
                if (Interlocked.Increment(ref created) == 100)
                {
                    firstWrites.SetResult();
                }
            }
        })).ToArray();

        await firstWrites.Task;
        await using var events = store.WatchAsync("/k/", 0, TestTimeout).GetAsyncEnumerator();
        var seen = await TakeAsync(events, Writes);
        await Task.WhenAll(writers);

        Assert.Equal(Enumerable.Range(1, Writes).Select(i => (long)i), seen.Select(e => e.Revision));
        Assert.Equal(Writes, seen.Select(e => e.Value.Key).Distinct().Count());
    }

    [Fact]
    public async Task WatchAsync_BelowCompactedRevision_ThrowsRevisionCompacted()
    {
        await using var store = await OpenAsync(_directory);
        for (var i = 0; i < 10; i++)
        {
            await store.CreateAsync($"/k/{i}", Bytes("v"), CancellationToken.None);
        }

        await store.CompactAsync(5, CancellationToken.None);
        await using var events = store.WatchAsync("/k/", 4, TestTimeout).GetAsyncEnumerator();

        var exception = await Assert.ThrowsAsync<RevisionCompactedException>(() => events.MoveNextAsync().AsTask());

        Assert.Equal(4, exception.Requested);
        Assert.Equal(5, exception.Compacted);
        await using var atCompacted = store.WatchAsync("/k/", 5, TestTimeout).GetAsyncEnumerator();
        Assert.Equal(6, (await TakeAsync(atCompacted, 1))[0].Revision);
    }

    [Fact]
    public async Task WatchAsync_SlowWatcher_IsEndedWithoutBlockingWrites()
    {
        await using var store = await OpenAsync(_directory, o => o.WatcherBufferSize = 8);
        await store.CreateAsync("/k/first", Bytes("v"), CancellationToken.None);
        await using var slow = store.WatchAsync("/k/", 0, TestTimeout).GetAsyncEnumerator();
        await TakeAsync(slow, 1);

        for (var i = 0; i < 100; i++)
        {
            var result = await store.CreateAsync($"/k/{i}", Bytes("v"), CancellationToken.None);
            Assert.Equal(StoreOutcome.Ok, result.Outcome);
        }

        var drained = await TakeAsync(slow, int.MaxValue);

        Assert.Equal(8, drained.Count);
        Assert.Equal(Enumerable.Range(2, 8).Select(i => (long)i), drained.Select(e => e.Revision));
        Assert.Equal(101, store.CurrentRevision);
    }

    [Fact]
    public async Task WatchAsync_StoreDisposed_EndsEnumeration()
    {
        var store = await OpenAsync(_directory);
        await store.CreateAsync("/k/a", Bytes("v"), CancellationToken.None);
        await using var events = store.WatchAsync("/k/", 0, TestTimeout).GetAsyncEnumerator();
        await TakeAsync(events, 1);

        await store.DisposeAsync();

        Assert.False(await events.MoveNextAsync());
    }

    [Fact]
    public async Task WatchAsync_Cancelled_ThrowsOperationCanceled()
    {
        await using var store = await OpenAsync(_directory);
        using var cancellation = new CancellationTokenSource();
        await using var events = store.WatchAsync("/k/", 0, cancellation.Token).GetAsyncEnumerator();
        var next = events.MoveNextAsync().AsTask();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    private static void AssertEvents(List<StoreEvent> actual, params (StoreEventType Type, string Key, string Value, long Revision)[] expected) =>
        Assert.Equal(expected, actual.Select(e => (e.Type, e.Value.Key, Text(e.Value.Value), e.Revision)));
}
