using Berth.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Berth.Storage;

public sealed partial class SqliteStore
{
    /// <summary>
    /// The single writer: takes everything queued (up to <see cref="SqliteStoreOptions.MaxWriteBatchSize"/>), applies
    /// the ops in order in one transaction — each with its own revision and compare-and-swap check, each seeing the
    /// ops before it — commits once, publishes the events, then completes the callers. While one batch fsyncs, the
    /// next one queues up, so throughput grows with the number of concurrent writers.
    /// </summary>
    private async Task RunWriterAsync()
    {
        var batch = new List<StoreOp>(_options.MaxWriteBatchSize);
        var reader = _ops.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                if (reader.TryPeek(out var first) && first is CheckpointOp && reader.TryRead(out _))
                {
                    Checkpoint((CheckpointOp)first);
                    continue;
                }

                batch.Clear();
                while (batch.Count < _options.MaxWriteBatchSize && reader.TryPeek(out var next) && next is not CheckpointOp && reader.TryRead(out next))
                {
                    batch.Add(next);
                }

                CommitBatch(batch);
            }
        }
        catch (Exception exception)
        {
            // Not expected (CommitBatch handles SQLite errors per op); fail whatever is still queued rather than hang callers.
            Log.WriterCrashed(_logger, exception);
            _ops.Writer.TryComplete(exception);
            foreach (var op in batch)
            {
                op.Fail(exception);
            }

            while (reader.TryRead(out var op))
            {
                op.Fail(exception);
            }
        }
    }

    private void CommitBatch(List<StoreOp> batch)
    {
        var revision = _currentRevision;
        var compacted = _compactedRevision;
        var events = new List<StoreEvent>(batch.Count);
        var results = new WriteResult?[batch.Count];
        var removed = new long[batch.Count];
        try
        {
            using (var transaction = _writeConnection.BeginTransaction())
            {
                _commands.Enlist(transaction);
                for (var i = 0; i < batch.Count; i++)
                {
                    switch (batch[i])
                    {
                        case KeyWriteOp write when !write.CancellationToken.IsCancellationRequested:
                            results[i] = Apply(write, ref revision, events);
                            break;
                        case CompactOp compact:
                            removed[i] = Compact(compact, ref compacted, revision);
                            break;
                        default:
                            break;
                    }
                }

                if (revision != _currentRevision)
                {
                    _commands.SetMeta(SqliteSchema.CurrentRevisionName, revision);
                }

                if (compacted != _compactedRevision)
                {
                    _commands.SetMeta(SqliteSchema.CompactedRevisionName, compacted);
                }

                transaction.Commit();
            }
        }
        catch (SqliteException exception)
        {
            _commands.Enlist(null);
            if (batch.Count > 1)
            {
                // Find the op that fails without failing the others with it.
                Log.BatchFailed(_logger, batch.Count, exception);
                foreach (var op in batch)
                {
                    CommitBatch([op]);
                }

                return;
            }

            Log.WriteFailed(_logger, exception);
            batch[0].Fail(exception);
            return;
        }

        _commands.Enlist(null);
        Volatile.Write(ref _currentRevision, revision);
        if (compacted != _compactedRevision)
        {
            Volatile.Write(ref _compactedRevision, compacted);
            Interlocked.Exchange(ref _compactedChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        // Publish before completing the callers: once a write is acknowledged, a watch from before it sees it.
        if (events.Count > 0)
        {
            foreach (var watcher in _hub.Publish(events, revision))
            {
                Log.WatcherEnded(_logger, watcher.Prefix, _options.WatcherBufferSize);
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            switch (batch[i])
            {
                case KeyWriteOp write when results[i] is { } result:
                    write.Complete(result);
                    break;
                case KeyWriteOp write:
                    write.Cancel();
                    break;
                case CompactOp compact:
                    compact.Complete(removed[i]);
                    break;
                default:
                    break;
            }
        }
    }

    private WriteResult Apply(KeyWriteOp op, ref long revision, List<StoreEvent> events)
    {
        var existing = _commands.Find(op.Key);
        if (op.Kind == WriteKind.Create)
        {
            if (existing is not null)
            {
                return new WriteResult(StoreOutcome.AlreadyExists, existing);
            }

            revision++;
            _commands.InsertKv(op.Key, op.Value, revision);
            _commands.InsertLog(revision, op.Key, SqliteSchema.LogPut, op.Value, revision);
            var created = new KeyValue(op.Key, op.Value, revision, revision);
            events.Add(new StoreEvent(StoreEventType.Created, created));
            return new WriteResult(StoreOutcome.Ok, created);
        }

        if (existing is null)
        {
            return new WriteResult(StoreOutcome.NotFound, null);
        }

        if (op.ExpectedRevision != 0 && op.ExpectedRevision != existing.ModRevision)
        {
            return new WriteResult(StoreOutcome.Conflict, existing);
        }

        revision++;
        if (op.Kind == WriteKind.Update)
        {
            _commands.UpdateKv(op.Key, op.Value, revision);
            _commands.InsertLog(revision, op.Key, SqliteSchema.LogPut, op.Value, existing.CreateRevision);
            var updated = new KeyValue(op.Key, op.Value, existing.CreateRevision, revision);
            events.Add(new StoreEvent(StoreEventType.Modified, updated));
            return new WriteResult(StoreOutcome.Ok, updated);
        }

        // The log row of a delete keeps the last value, so a watch replayed from the log can report it.
        var value = existing.Value.ToArray();
        _commands.DeleteKv(op.Key);
        _commands.InsertLog(revision, op.Key, SqliteSchema.LogDelete, value, existing.CreateRevision);
        var deleted = existing with { ModRevision = revision };
        events.Add(new StoreEvent(StoreEventType.Deleted, deleted));
        return new WriteResult(StoreOutcome.Ok, deleted);
    }

    private long Compact(CompactOp op, ref long compacted, long revision)
    {
        // Every revision in (compacted, current] has exactly one log row, so "through compacted + BatchSize"
        // deletes at most BatchSize rows.
        var through = Math.Min(Math.Min(op.Target, revision), compacted + op.BatchSize);
        if (through <= compacted)
        {
            return 0;
        }

        var rows = _commands.DeleteLogThrough(through);
        compacted = through;
        return rows;
    }

    private void Checkpoint(CheckpointOp op)
    {
        try
        {
            // TRUNCATE waits (busy_timeout) for readers still on old snapshots; reads are short, and running it here,
            // between batches, keeps it from racing the writer.
            using var command = _writeConnection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            using var reader = command.ExecuteReader();
            reader.Read();
            var busy = reader.GetInt64(0) != 0;
            if (busy)
            {
                Log.CheckpointBusy(_logger, reader.GetInt64(1) - reader.GetInt64(2));
            }

            op.Complete(!busy);
        }
        catch (SqliteException exception)
        {
            op.Fail(exception);
        }
    }
}
