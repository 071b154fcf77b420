using static Berth.Storage.Tests.TestStore;

namespace Berth.Storage.Tests;

public sealed class SqliteStoreRevisionTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task OpenAsync_AfterReopen_ContinuesRevisionsAndKeepsData()
    {
        await using (var store = await OpenAsync(_directory))
        {
            await store.CreateAsync("/a", Bytes("1"), CancellationToken.None);
            await store.CreateAsync("/b", Bytes("2"), CancellationToken.None);
        }

        await using var reopened = await OpenAsync(_directory);
        var result = await reopened.CreateAsync("/c", Bytes("3"), CancellationToken.None);

        Assert.Equal(3, result.Value!.ModRevision);
        Assert.Equal("1", Text((await reopened.GetAsync("/a", CancellationToken.None))!.Value));
    }

    [Fact]
    public async Task OpenAsync_AfterDeletingNewestKey_NeverReusesItsRevision()
    {
        await using (var store = await OpenAsync(_directory))
        {
            await store.CreateAsync("/a", Bytes("1"), CancellationToken.None);
            await store.CreateAsync("/b", Bytes("2"), CancellationToken.None);
            await store.DeleteAsync("/b", 0, CancellationToken.None);
        }

        await using var reopened = await OpenAsync(_directory);
        var revisionAtOpen = reopened.CurrentRevision;
        var result = await reopened.CreateAsync("/c", Bytes("3"), CancellationToken.None);

        Assert.Equal(3, revisionAtOpen);
        Assert.Equal(4, result.Value!.ModRevision);
    }

    [Fact]
    public async Task OpenAsync_AfterCompactingEverything_NeverReusesRevisions()
    {
        await using (var store = await OpenAsync(_directory))
        {
            await store.CreateAsync("/a", Bytes("1"), CancellationToken.None);
            await store.DeleteAsync("/a", 0, CancellationToken.None);
            await store.CompactAsync(2, CancellationToken.None);
        }

        await using var reopened = await OpenAsync(_directory);
        var result = await reopened.CreateAsync("/a", Bytes("again"), CancellationToken.None);

        Assert.Equal(2, reopened.CompactedRevision);
        Assert.Equal(3, result.Value!.ModRevision);
        Assert.Equal(3, result.Value.CreateRevision);
    }

    [Fact]
    public async Task CreateAsync_ConcurrentWriters_GetDistinctIncreasingRevisions()
    {
        await using var store = await OpenAsync(_directory);

        var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => store.CreateAsync($"/k/{i}", Bytes("v"), CancellationToken.None).AsTask()));

        Assert.All(results, r => Assert.Equal(StoreOutcome.Ok, r.Outcome));
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), results.Select(r => r.Value!.ModRevision).Order());
        Assert.Equal(500, store.CurrentRevision);
    }
}
