using static Berth.Storage.Tests.TestStore;

namespace Berth.Storage.Tests;

public sealed class SqliteStoreCompactionTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task CompactAsync_KeepsCurrentValuesOfEveryKey()
    {
        await using var store = await OpenAsync(_directory);
        await store.CreateAsync("/old", Bytes("untouched since revision 1"), CancellationToken.None);
        await store.CreateAsync("/gone", Bytes("x"), CancellationToken.None);
        await store.CreateAsync("/hot", Bytes("v0"), CancellationToken.None);
        for (var i = 1; i < 20; i++)
        {
            await store.UpdateAsync("/hot", Bytes($"v{i}"), 0, CancellationToken.None);
        }

        await store.DeleteAsync("/gone", 0, CancellationToken.None);

        await store.CompactAsync(store.CurrentRevision, CancellationToken.None);

        var list = await store.ListAsync("/", null, 0, CancellationToken.None);
        Assert.Equal(["/hot", "/old"], list.Items.Select(i => i.Key));
        Assert.Equal("v19", Text(list.Items[0].Value));
        Assert.Equal(1, list.Items[1].ModRevision);
        Assert.Equal(store.CurrentRevision, store.CompactedRevision);
    }

    [Fact]
    public async Task CompactAsync_InSmallBatches_ShrinksLogTableToRetainedRevisions()
    {
        await using var store = await OpenAsync(_directory, o => o.CompactionBatchSize = 7);
        for (var i = 0; i < 100; i++)
        {
            await store.CreateAsync($"/k/{i}", Bytes(new string('x', 1024)), CancellationToken.None);
        }

        var rowsBefore = Scalar(_directory, "SELECT count(*) FROM log;");

        await store.CompactAsync(90, CancellationToken.None);

        Assert.Equal(100, rowsBefore);
        Assert.Equal(10, Scalar(_directory, "SELECT count(*) FROM log;"));
        Assert.Equal(91, Scalar(_directory, "SELECT min(rev) FROM log;"));
        Assert.Equal(90, Scalar(_directory, "SELECT value FROM meta WHERE name = 'compacted';"));
        Assert.Equal(90, store.CompactedRevision);
        Assert.Equal(100, (await store.ListAsync("/k/", null, 0, CancellationToken.None)).Items.Count);
    }

    [Fact]
    public async Task CompactAsync_CheckpointsAndTruncatesTheWal()
    {
        await using var store = await OpenAsync(_directory);
        for (var i = 0; i < 50; i++)
        {
            await store.CreateAsync($"/k/{i}", Bytes(new string('x', 4096)), CancellationToken.None);
        }

        var walBefore = new FileInfo(_directory.DatabasePath + "-wal").Length;

        await store.CompactAsync(store.CurrentRevision, CancellationToken.None);

        Assert.True(walBefore > 0);
        Assert.Equal(0, new FileInfo(_directory.DatabasePath + "-wal").Length);
    }

    [Fact]
    public async Task CompactAsync_BeyondCurrentRevision_ClampsToIt()
    {
        await using var store = await OpenAsync(_directory);
        await store.CreateAsync("/k", Bytes("v"), CancellationToken.None);

        await store.CompactAsync(1000, CancellationToken.None);
        var next = await store.CreateAsync("/k2", Bytes("v"), CancellationToken.None);

        Assert.Equal(1, store.CompactedRevision);
        Assert.Equal(2, next.Value!.ModRevision);
    }

    [Fact]
    public async Task BackgroundCompaction_WhenIntervalPasses_KeepsHistoryRetentionRevisions()
    {
        var time = new ManualTimeProvider();
        await using var store = await OpenAsync(_directory, o =>
        {
            o.TimeProvider = time;
            o.CompactionInterval = TimeSpan.FromMinutes(1);
            o.HistoryRetention = 5;
            o.CompactionBatchSize = 4;
        });
        for (var i = 0; i < 20; i++)
        {
            await store.CreateAsync($"/k/{i}", Bytes("v"), CancellationToken.None);
        }

        time.Advance(TimeSpan.FromMinutes(1));
        await store.WaitForCompactionAsync(15, TestTimeout);

        Assert.Equal(15, store.CompactedRevision);
        Assert.Equal(5, Scalar(_directory, "SELECT count(*) FROM log;"));
    }

    [Fact]
    public async Task BackgroundCompaction_WithRetentionTime_KeepsWhatWasWrittenWithinIt()
    {
        var time = new ManualTimeProvider();
        await using var store = await OpenAsync(_directory, o =>
        {
            o.TimeProvider = time;
            o.CompactionInterval = TimeSpan.FromMinutes(1);
            o.HistoryRetention = 5;
            o.HistoryRetentionTime = TimeSpan.FromMinutes(2);
        });
        for (var i = 0; i < 20; i++)
        {
            await store.CreateAsync($"/k/{i}", Bytes("v"), CancellationToken.None);
        }

        time.Advance(TimeSpan.FromMinutes(1));
        for (var i = 20; i < 40; i++)
        {
            await store.CreateAsync($"/k/{i}", Bytes("v"), CancellationToken.None);
        }

        time.Advance(TimeSpan.FromMinutes(1));
        var compactedEarly = store.CompactedRevision;
        time.Advance(TimeSpan.FromMinutes(1));
        await store.WaitForCompactionAsync(20, TestTimeout);

        Assert.Equal(0, compactedEarly);
        Assert.Equal(20, store.CompactedRevision);
    }

    [Fact]
    public async Task BackgroundCompaction_BeforeIntervalPasses_DoesNothing()
    {
        var time = new ManualTimeProvider();
        await using var store = await OpenAsync(_directory, o =>
        {
            o.TimeProvider = time;
            o.CompactionInterval = TimeSpan.FromMinutes(1);
            o.HistoryRetention = 5;
        });
        for (var i = 0; i < 20; i++)
        {
            await store.CreateAsync($"/k/{i}", Bytes("v"), CancellationToken.None);
        }

        time.Advance(TimeSpan.FromSeconds(59));

        Assert.Equal(0, store.CompactedRevision);
        Assert.Equal(20, Scalar(_directory, "SELECT count(*) FROM log;"));
    }
}
