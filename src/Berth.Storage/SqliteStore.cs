using System.Threading.Channels;
using Berth.Core.Files;
using Berth.Storage.Sqlite;
using Berth.Storage.Watch;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Storage;

/// <summary>
/// The default <see cref="IStore"/>: one SQLite file in WAL mode. Writes go through a queue to a single writer that
/// commits everything pending in one transaction (group commit); reads use their own connections; watches are served
/// from an in-memory event ring backed by the history table. Thread-safe; open with <see cref="OpenAsync"/>.
/// See README.md next to this file.
/// </summary>
public sealed partial class SqliteStore : IStore
{
    private readonly SqliteStoreOptions _options;
    private readonly ILogger _logger;
    private readonly SqliteConnection _writeConnection;
    private readonly WriteCommands _commands;
    private readonly ReadConnectionPool _readers;
    private readonly WatchHub _hub;
    private readonly Channel<StoreOp> _ops;
    private readonly CancellationTokenSource _stopping = new();
    private Task _writer = Task.CompletedTask;
    private Task _compaction = Task.CompletedTask;
    private long _currentRevision;
    private long _compactedRevision;
    private TaskCompletionSource _compactedChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private SqliteStore(SqliteStoreOptions options, SqliteConnection writeConnection, long currentRevision, long compactedRevision)
    {
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        _writeConnection = writeConnection;
        _commands = new WriteCommands(writeConnection);
        _readers = new ReadConnectionPool(SqliteSchema.ReaderConnectionString(options.Path), Math.Max(4, Environment.ProcessorCount * 2));
        _hub = new WatchHub(currentRevision, options.EventCacheSize, options.WatcherBufferSize);
        _ops = Channel.CreateUnbounded<StoreOp>(new UnboundedChannelOptions { SingleReader = true });
        _currentRevision = currentRevision;
        _compactedRevision = compactedRevision;
    }

    public long CurrentRevision => Volatile.Read(ref _currentRevision);

    public long CompactedRevision => Volatile.Read(ref _compactedRevision);

    /// <summary>
    /// Opens (creating if needed) the database at <see cref="SqliteStoreOptions.Path"/> and starts the writer and
    /// compaction loops. The database file is mode 0600 whatever the umask: created so before SQLite opens it, or narrowed
    /// — SQLite gives its <c>-wal</c> and <c>-shm</c> files the database file's mode (os_unix.c <c>findCreateFileMode</c>).
    /// </summary>
    public static async Task<SqliteStore> OpenAsync(SqliteStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        PrivateFiles.Touch(options.Path);

        var connection = new SqliteConnection(SqliteSchema.WriterConnectionString(options.Path));
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var (current, compacted) = await SqliteSchema.InitializeAsync(connection, cancellationToken).ConfigureAwait(false);
            var store = new SqliteStore(options, connection, current, compacted);
            store.Start();
            Log.Opened(store._logger, options.Path, current, compacted);
            return store;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask<WriteResult> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return EnqueueWriteAsync(new KeyWriteOp(WriteKind.Create, key, value.ToArray(), 0, cancellationToken), cancellationToken);
    }

    public ValueTask<WriteResult> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedRevision);
        return EnqueueWriteAsync(new KeyWriteOp(WriteKind.Update, key, value.ToArray(), expectedRevision, cancellationToken), cancellationToken);
    }

    public ValueTask<WriteResult> DeleteAsync(string key, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedRevision);
        return EnqueueWriteAsync(new KeyWriteOp(WriteKind.Delete, key, [], expectedRevision, cancellationToken), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _compaction.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // Queued writes are still committed: the writer drains the queue before it exits.
        _ops.Writer.TryComplete();
        await _writer.ConfigureAwait(false);

        _hub.Close();
        _readers.Dispose();
        _commands.Dispose();

        // The last connection to close checkpoints the WAL and deletes it.
        await _writeConnection.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Completes once <see cref="CompactedRevision"/> reaches <paramref name="revision"/> (tests drive the compaction loop with it).</summary>
    internal async Task WaitForCompactionAsync(long revision, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _compactedChanged);
            if (CompactedRevision >= revision)
            {
                return;
            }

            await changed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void Start()
    {
        _writer = Task.Run(RunWriterAsync);
        if (_options.CompactionEnabled)
        {
            _compaction = RunCompactionLoopAsync(_stopping.Token);
        }
    }

    private ValueTask<WriteResult> EnqueueWriteAsync(KeyWriteOp op, CancellationToken cancellationToken)
    {
        Enqueue(op);

        // Cancelling after the op was queued is ambiguous, as with an etcd timeout: the write may still commit.
        return new ValueTask<WriteResult>(op.Task.WaitAsync(cancellationToken));
    }

    private void Enqueue(StoreOp op)
    {
        if (!_ops.Writer.TryWrite(op))
        {
            throw new ObjectDisposedException(nameof(SqliteStore));
        }
    }
}
