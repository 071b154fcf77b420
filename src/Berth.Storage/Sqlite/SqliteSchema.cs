using System.Text;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>Connection settings, tables and the handful of constants shared by the writer and the readers.</summary>
internal static class SqliteSchema
{
    public const int Version = 1;

    /// <summary><c>log.type</c> of a create or update; Created vs Modified is told apart by <c>create_rev == rev</c>.</summary>
    public const int LogPut = 0;

    /// <summary><c>log.type</c> of a delete; the row keeps the deleted value and its <c>create_rev</c>.</summary>
    public const int LogDelete = 1;

    public const string CurrentRevisionName = "current";
    public const string CompactedRevisionName = "compacted";

    // kv holds only the live keys (clustered on key, so prefix lists are one range scan);
    // log holds one row per revision (rev is the rowid) and is trimmed by compaction;
    // meta holds the current and compacted revisions, written in the same transaction as the rows they describe,
    // so a revision is never reused, not even after the newest key is deleted or its log row compacted.
    private const string CreateTables = """
        CREATE TABLE IF NOT EXISTS meta(
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS kv(
            key TEXT PRIMARY KEY,
            value BLOB NOT NULL,
            create_rev INTEGER NOT NULL,
            mod_rev INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS log(
            rev INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            type INTEGER NOT NULL,
            value BLOB NOT NULL,
            create_rev INTEGER NOT NULL);
        INSERT OR IGNORE INTO meta(name, value) VALUES ('current', 0), ('compacted', 0);
        """;

    public static string WriterConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = false,
    }.ToString();

    public static string ReaderConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWrite,
        Cache = SqliteCacheMode.Private,
        Pooling = false,
    }.ToString();

    /// <summary>Sets the writer's pragmas, creates the tables and returns the stored (current, compacted) revisions.</summary>
    public static async Task<(long Current, long Compacted)> InitializeAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var mode = await ScalarAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
        if (!string.Equals(mode as string, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite refused WAL mode (journal_mode is '{mode}').");
        }

        // synchronous=FULL: every commit fsyncs the WAL. NORMAL would already survive kill -9 (a committed
        // transaction is in the WAL in the OS page cache before COMMIT returns), but not an OS crash or power loss,
        // and an API server must not acknowledge a write it can lose. Group commit pays one fsync per batch, so FULL
        // costs latency (one fsync, ~1 ms) but not throughput.
        await ExecuteAsync(connection, "PRAGMA synchronous = FULL;", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "PRAGMA busy_timeout = 5000;", cancellationToken).ConfigureAwait(false);

        // After a checkpoint the WAL is reused from its start; this cap truncates a WAL that a burst grew large.
        await ExecuteAsync(connection, "PRAGMA journal_size_limit = 67108864;", cancellationToken).ConfigureAwait(false);

        var version = Convert.ToInt64(await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Version)
        {
            throw new InvalidOperationException($"The database schema version {version} is newer than this build supports ({Version}).");
        }

        await ExecuteAsync(connection, CreateTables + $"PRAGMA user_version = {Version};", cancellationToken).ConfigureAwait(false);

        var current = await ReadMetaAsync(connection, CurrentRevisionName, cancellationToken).ConfigureAwait(false);
        var compacted = await ReadMetaAsync(connection, CompactedRevisionName, cancellationToken).ConfigureAwait(false);

        // Defensive: meta and log are written in one transaction, but never hand out a revision the log already has.
        var maxLogged = await ScalarAsync(connection, "SELECT max(rev) FROM log;", cancellationToken).ConfigureAwait(false);
        if (maxLogged is long logged && logged > current)
        {
            current = logged;
        }

        return (current, compacted);
    }

    /// <summary>
    /// The smallest string (as UTF-8 bytes, which is how SQLite's BINARY collation compares TEXT) greater than every
    /// string starting with <paramref name="prefix"/>: the prefix with its last byte incremented. The last byte of
    /// valid UTF-8 is never 0xFF, so this never overflows; the result may not be valid UTF-8, which is why it is bound
    /// as a BLOB and compared through <c>CAST(... AS TEXT)</c>. Null for the empty prefix (no upper bound).
    /// </summary>
    public static byte[]? PrefixUpperBound(string prefix)
    {
        if (prefix.Length == 0)
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetBytes(prefix);
        bytes[^1]++;
        return bytes;
    }

    private static async Task<long> ReadMetaAsync(SqliteConnection connection, string name, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is long revision ? revision : 0;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
