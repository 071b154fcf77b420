using static Berth.Storage.Tests.TestStore;

namespace Berth.Storage.Tests;

public sealed class SqliteStoreCrudTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task CreateAsync_NewKey_ReturnsOkAtNextRevision()
    {
        await using var store = await OpenAsync(_directory);

        var result = await store.CreateAsync("/registry/pods/default/a", Bytes("a1"), CancellationToken.None);

        Assert.Equal(StoreOutcome.Ok, result.Outcome);
        Assert.Equal(1, result.Value!.CreateRevision);
        Assert.Equal(1, result.Value.ModRevision);
        Assert.Equal(1, store.CurrentRevision);
        var stored = await store.GetAsync("/registry/pods/default/a", CancellationToken.None);
        Assert.Equal("a1", Text(stored!.Value));
        Assert.Equal(1, stored.ModRevision);
    }

    [Fact]
    public async Task CreateAsync_ExistingKey_ReturnsAlreadyExistsWithCurrentValue()
    {
        await using var store = await OpenAsync(_directory);
        await store.CreateAsync("/k", Bytes("first"), CancellationToken.None);

        var result = await store.CreateAsync("/k", Bytes("second"), CancellationToken.None);

        Assert.Equal(StoreOutcome.AlreadyExists, result.Outcome);
        Assert.Equal("first", Text(result.Value!.Value));
        Assert.Equal(1, result.Value.ModRevision);
        Assert.Equal(1, store.CurrentRevision);
    }

    [Fact]
    public async Task CreateAsync_SameKeyConcurrently_ExactlyOneSucceeds()
    {
        await using var store = await OpenAsync(_directory);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => store.CreateAsync("/k", Bytes($"v{i}"), CancellationToken.None).AsTask()));

        Assert.Single(results, r => r.Outcome == StoreOutcome.Ok);
        Assert.Equal(49, results.Count(r => r.Outcome == StoreOutcome.AlreadyExists));
        Assert.Equal(1, store.CurrentRevision);
    }

    [Fact]
    public async Task UpdateAsync_MatchingRevision_KeepsCreateRevisionAndAdvancesModRevision()
    {
        await using var store = await OpenAsync(_directory);
        var created = await store.CreateAsync("/k", Bytes("v1"), CancellationToken.None);

        var result = await store.UpdateAsync("/k", Bytes("v2"), created.Value!.ModRevision, CancellationToken.None);

        Assert.Equal(StoreOutcome.Ok, result.Outcome);
        Assert.Equal(1, result.Value!.CreateRevision);
        Assert.Equal(2, result.Value.ModRevision);
        Assert.Equal("v2", Text((await store.GetAsync("/k", CancellationToken.None))!.Value));
    }

    [Fact]
    public async Task UpdateAsync_StaleRevision_ReturnsConflictWithCurrentValue()
    {
        await using var store = await OpenAsync(_directory);
        await store.CreateAsync("/k", Bytes("v1"), CancellationToken.None);
        await store.UpdateAsync("/k", Bytes("v2"), 1, CancellationToken.None);

        var result = await store.UpdateAsync("/k", Bytes("v3"), 1, CancellationToken.None);

        Assert.Equal(StoreOutcome.Conflict, result.Outcome);
        Assert.Equal("v2", Text(result.Value!.Value));
        Assert.Equal(2, result.Value.ModRevision);
        Assert.Equal(2, store.CurrentRevision);
    }

    [Fact]
    public async Task UpdateAsync_ZeroRevision_IsUnconditional()
    {
        await using var store = await OpenAsync(_directory);
        await store.CreateAsync("/k", Bytes("v1"), CancellationToken.None);
        await store.UpdateAsync("/k", Bytes("v2"), 0, CancellationToken.None);

        var result = await store.UpdateAsync("/k", Bytes("v3"), 0, CancellationToken.None);

        Assert.Equal(StoreOutcome.Ok, result.Outcome);
        Assert.Equal(3, result.Value!.ModRevision);
    }

    [Fact]
    public async Task UpdateAsync_MissingKey_ReturnsNotFound()
    {
        await using var store = await OpenAsync(_directory);

        var result = await store.UpdateAsync("/missing", Bytes("v"), 0, CancellationToken.None);

        Assert.Equal(StoreOutcome.NotFound, result.Outcome);
        Assert.Null(result.Value);
        Assert.Equal(0, store.CurrentRevision);
    }

    [Fact]
    public async Task DeleteAsync_ExistingKey_ReturnsLastValueAtDeleteRevision()
    {
        await using var store = await OpenAsync(_directory);
        await store.CreateAsync("/k", Bytes("v1"), CancellationToken.None);

        var result = await store.DeleteAsync("/k", 1, CancellationToken.None);

        Assert.Equal(StoreOutcome.Ok, result.Outcome);
        Assert.Equal("v1", Text(result.Value!.Value));
        Assert.Equal(1, result.Value.CreateRevision);
        Assert.Equal(2, result.Value.ModRevision);
        Assert.Null(await store.GetAsync("/k", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_StaleRevision_ReturnsConflictAndKeepsKey()
    {
        await using var store = await OpenAsync(_directory);
        await store.CreateAsync("/k", Bytes("v1"), CancellationToken.None);
        await store.UpdateAsync("/k", Bytes("v2"), 0, CancellationToken.None);

        var result = await store.DeleteAsync("/k", 1, CancellationToken.None);

        Assert.Equal(StoreOutcome.Conflict, result.Outcome);
        Assert.Equal(2, result.Value!.ModRevision);
        Assert.NotNull(await store.GetAsync("/k", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_MissingKey_ReturnsNotFound()
    {
        await using var store = await OpenAsync(_directory);

        var result = await store.DeleteAsync("/missing", 0, CancellationToken.None);

        Assert.Equal(StoreOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task GetAsync_MissingKey_ReturnsNull()
    {
        await using var store = await OpenAsync(_directory);

        var value = await store.GetAsync("/missing", CancellationToken.None);

        Assert.Null(value);
    }

    [Fact]
    public async Task WriteAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var store = await OpenAsync(_directory);
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CreateAsync("/k", Bytes("v"), CancellationToken.None).AsTask());
    }
}
