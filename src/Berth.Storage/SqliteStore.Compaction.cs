using Berth.Storage.Sqlite;

namespace Berth.Storage;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Revisions beyond <see cref="CurrentRevision"/> are clamped to it. Runs as steps of
    /// <see cref="SqliteStoreOptions.CompactionBatchSize"/> rows through the writer queue, then checkpoints the WAL.
    /// </remarks>
    public async ValueTask CompactAsync(long revision, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var target = Math.Min(revision, CurrentRevision);
        var started = _options.TimeProvider.GetTimestamp();
        long removed = 0;
        while (CompactedRevision < target)
        {
            var step = new CompactOp(target, _options.CompactionBatchSize);
            Enqueue(step);
            removed += await step.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (removed == 0)
        {
            return;
        }

        var checkpoint = new CheckpointOp();
        Enqueue(checkpoint);
        await checkpoint.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        Log.Compacted(_logger, CompactedRevision, removed, (long)_options.TimeProvider.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>
    /// Every <see cref="SqliteStoreOptions.CompactionInterval"/>, drops history older than
    /// <see cref="SqliteStoreOptions.HistoryRetention"/> revisions and (when set) older than
    /// <see cref="SqliteStoreOptions.HistoryRetentionTime"/>: each tick notes the current revision, and compaction goes no
    /// further than the newest noted revision that is at least that old.
    /// </summary>
    private async Task RunCompactionLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.CompactionInterval, _options.TimeProvider);
        var marks = new Queue<(DateTimeOffset At, long Revision)>();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var target = CurrentRevision - _options.HistoryRetention;
                if (_options.HistoryRetentionTime > TimeSpan.Zero)
                {
                    var now = _options.TimeProvider.GetUtcNow();
                    marks.Enqueue((now, CurrentRevision));
                    var oldEnough = 0L;
                    while (marks.Count > 0 && now - marks.Peek().At >= _options.HistoryRetentionTime)
                    {
                        oldEnough = marks.Dequeue().Revision;
                    }

                    target = Math.Min(target, oldEnough);
                }

                if (target <= CompactedRevision)
                {
                    continue;
                }

                try
                {
                    await CompactAsync(target, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    Log.CompactionFailed(_logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
    }
}
