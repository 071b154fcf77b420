using static Berth.Storage.Tests.TestStore;

namespace Berth.Storage.Tests;

public sealed class SqliteStoreListTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ListAsync_Prefix_ReturnsOnlyKeysUnderItInKeyOrder()
    {
        await using var store = await OpenAsync(_directory);
        string[] keys =
        [
            "/registry/pods/b/x", "/registry/pods/a/y", "/registry/pods/a/x", "/registry/pods/a\u00e9/z",
            "/registry/pods/a/\U0001F600", "/registry/pods/a", "/registry/podsx/a/x", "/registry/pods0/a/x", "/registry/services/a/x",
        ];
        foreach (var key in keys)
        {
            await store.CreateAsync(key, Bytes(key), CancellationToken.None);
        }

        var result = await store.ListAsync("/registry/pods/a/", null, 0, CancellationToken.None);

        Assert.Equal(["/registry/pods/a/x", "/registry/pods/a/y", "/registry/pods/a/\U0001F600"], result.Items.Select(i => i.Key));
        Assert.False(result.More);
        var all = await store.ListAsync("/registry/pods/", null, 0, CancellationToken.None);
        Assert.Equal(6, all.Items.Count);
        var everything = await store.ListAsync("", null, 0, CancellationToken.None);
        Assert.Equal(keys.Length, everything.Items.Count);
    }

    [Fact]
    public async Task ListAsync_LimitAndStartAfter_PagesThroughEveryKeyOnce()
    {
        await using var store = await OpenAsync(_directory);
        for (var i = 0; i < 25; i++)
        {
            await store.CreateAsync($"/registry/configmaps/ns/{i:D3}", Bytes("v"), CancellationToken.None);
        }

        await store.CreateAsync("/registry/configmaps/other", Bytes("v"), CancellationToken.None);
        var seen = new List<string>();
        string? continueAfter = null;
        var pages = 0;

        while (true)
        {
            var page = await store.ListAsync("/registry/configmaps/ns/", continueAfter, 10, CancellationToken.None);
            seen.AddRange(page.Items.Select(i => i.Key));
            pages++;
            if (!page.More)
            {
                break;
            }

            continueAfter = page.Items[^1].Key;
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"/registry/configmaps/ns/{i:D3}"), seen);
    }

    [Fact]
    public async Task ListAsync_ExactLimit_ReportsNoMore()
    {
        await using var store = await OpenAsync(_directory);
        await store.CreateAsync("/p/1", Bytes("v"), CancellationToken.None);
        await store.CreateAsync("/p/2", Bytes("v"), CancellationToken.None);

        var result = await store.ListAsync("/p/", null, 2, CancellationToken.None);

        Assert.Equal(2, result.Items.Count);
        Assert.False(result.More);
    }

    [Fact]
    public async Task ListAsync_Revision_IsTheStoreRevisionNotTheNewestItem()
    {
        await using var store = await OpenAsync(_directory);
        await store.CreateAsync("/p/1", Bytes("v"), CancellationToken.None);
        await store.CreateAsync("/q/1", Bytes("v"), CancellationToken.None);
        await store.DeleteAsync("/q/1", 0, CancellationToken.None);

        var result = await store.ListAsync("/p/", null, 0, CancellationToken.None);

        Assert.Equal(3, result.Revision);
        Assert.Equal(1, Assert.Single(result.Items).ModRevision);
    }
}
