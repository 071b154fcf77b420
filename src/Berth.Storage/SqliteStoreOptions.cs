using Microsoft.Extensions.Logging;

namespace Berth.Storage;

/// <summary>Settings of <see cref="SqliteStore"/>; validated by <see cref="SqliteStore.OpenAsync"/>.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Path of the SQLite database file (created when missing; <c>-wal</c> and <c>-shm</c> files live next to it).</summary>
    public string Path { get; set; } = "";

    /// <summary>How many revisions of history the background compaction keeps for watches.</summary>
    public int HistoryRetention { get; set; } = 10_000;

    /// <summary>
    /// Also keep every revision written within this time (zero: no time bound). kube-apiserver compacts etcd every 5
    /// minutes to the revision it saw at the previous interval (apiserver/pkg/storage/etcd3/compact.go), so a watcher
    /// that falls behind for less than that resumes instead of re-listing; a revision count alone gives a busy writer
    /// only seconds of history.
    /// </summary>
    public TimeSpan HistoryRetentionTime { get; set; } = TimeSpan.Zero;

    /// <summary>How often background compaction runs; <see cref="TimeSpan.Zero"/> or <see cref="Timeout.InfiniteTimeSpan"/> turns it off.</summary>
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>History rows deleted per write transaction while compacting, so writers never wait long behind it.</summary>
    public int CompactionBatchSize { get; set; } = 1000;

    /// <summary>
    /// How many recent events (of all keys) are kept in memory so that a watch starting from a recent revision needs no
    /// database read; older starting points are replayed from the history table.
    /// </summary>
    public int EventCacheSize { get; set; } = 4096;

    /// <summary>Events buffered per watcher; a watcher further behind than this is ended (its client re-lists).</summary>
    public int WatcherBufferSize { get; set; } = 1024;

    /// <summary>Most writes committed together in one transaction (group commit).</summary>
    public int MaxWriteBatchSize { get; set; } = 1024;

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public ILogger? Logger { get; set; }

    internal bool CompactionEnabled => CompactionInterval > TimeSpan.Zero && CompactionInterval != Timeout.InfiniteTimeSpan;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException("SqliteStoreOptions.Path must be set.", nameof(Path));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(HistoryRetention);
        ArgumentOutOfRangeException.ThrowIfLessThan(HistoryRetentionTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(CompactionInterval, Timeout.InfiniteTimeSpan);
        ArgumentOutOfRangeException.ThrowIfLessThan(CompactionBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(EventCacheSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(WatcherBufferSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWriteBatchSize, 1);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
