using Berth.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Berth.Storage;

public sealed partial class SqliteStore
{
    private const int LogReplayChunk = 512;

    public async ValueTask<KeyValue?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var connection = await _readers.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT value, create_rev, mod_rev FROM kv WHERE key = $key;";
            command.Parameters.AddWithValue("$key", key);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return reader.Read() ? new KeyValue(key, reader.GetFieldValue<byte[]>(0), reader.GetInt64(1), reader.GetInt64(2)) : null;
        }
        finally
        {
            _readers.Return(connection);
        }
    }

    public async ValueTask<ListResult> ListAsync(string prefix, string? startAfter, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var connection = await _readers.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // One read transaction: the revision and the rows come from the same snapshot.
            using var transaction = connection.BeginTransaction(deferred: true);
            var revision = ReadMeta(connection, transaction, SqliteSchema.CurrentRevisionName);

            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT key, value, create_rev, mod_rev FROM kv WHERE key >= $prefix"
                + KeyRangeSql(prefix, startAfter, command)
                + " ORDER BY key" + (limit > 0 ? " LIMIT $limit;" : ";");
            command.Parameters.AddWithValue("$prefix", prefix);
            if (limit > 0)
            {
                // One extra row tells whether there is more.
                command.Parameters.AddWithValue("$limit", limit + 1L);
            }

            var items = new List<KeyValue>(limit > 0 ? Math.Min(limit, 1024) : 64);
            var more = false;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (limit > 0 && items.Count == limit)
                    {
                        more = true;
                        break;
                    }

                    items.Add(new KeyValue(reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetInt64(2), reader.GetInt64(3)));
                }
            }

            transaction.Commit();
            return new ListResult(items, revision, more);
        }
        finally
        {
            _readers.Return(connection);
        }
    }

    /// <summary>
    /// Reads history for a watch: events for <paramref name="prefix"/> with revisions in (<paramref name="after"/>,
    /// <paramref name="through"/>], at most <see cref="LogReplayChunk"/> of them, and the revision scanned up to.
    /// Throws <see cref="RevisionCompactedException"/> when compaction already removed part of that range.
    /// </summary>
    private async Task<(List<StoreEvent> Events, long ScannedThrough)> ReadLogAsync(
        string prefix, long after, long through, long requested, CancellationToken cancellationToken)
    {
        var connection = await _readers.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            var compacted = ReadMeta(connection, transaction, SqliteSchema.CompactedRevisionName);
            if (compacted > after)
            {
                throw new RevisionCompactedException(requested, compacted);
            }

            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT rev, key, type, value, create_rev FROM log WHERE rev > $after AND rev <= $through AND key >= $prefix"
                + KeyRangeSql(prefix, null, command)
                + " ORDER BY rev LIMIT $chunk;";
            command.Parameters.AddWithValue("$after", after);
            command.Parameters.AddWithValue("$through", through);
            command.Parameters.AddWithValue("$prefix", prefix);
            command.Parameters.AddWithValue("$chunk", LogReplayChunk);

            var events = new List<StoreEvent>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var revision = reader.GetInt64(0);
                    var createRevision = reader.GetInt64(4);
                    var value = new KeyValue(reader.GetString(1), reader.GetFieldValue<byte[]>(3), createRevision, revision);
                    var type = reader.GetInt64(2) == SqliteSchema.LogDelete ? StoreEventType.Deleted
                        : createRevision == revision ? StoreEventType.Created
                        : StoreEventType.Modified;
                    events.Add(new StoreEvent(type, value));
                }
            }

            transaction.Commit();
            var scanned = events.Count == LogReplayChunk ? events[^1].Revision : through;
            return (events, scanned);
        }
        finally
        {
            _readers.Return(connection);
        }
    }

    /// <summary>The upper prefix bound and the startAfter bound of a key range query (the lower bound is <c>$prefix</c>).</summary>
    private static string KeyRangeSql(string prefix, string? startAfter, SqliteCommand command)
    {
        var sql = "";
        if (SqliteSchema.PrefixUpperBound(prefix) is { } end)
        {
            sql += " AND key < CAST($end AS TEXT)";
            command.Parameters.AddWithValue("$end", end);
        }

        if (!string.IsNullOrEmpty(startAfter))
        {
            sql += " AND key > $start_after";
            command.Parameters.AddWithValue("$start_after", startAfter);
        }

        return sql;
    }

    private static long ReadMeta(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM meta WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() is long value ? value : 0;
    }
}
