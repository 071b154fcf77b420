using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Read-only connections for Get, List and watch replay. WAL mode lets them read a consistent snapshot while the
/// writer commits; each is used by one caller at a time and kept for reuse up to <c>maxIdle</c>.
/// </summary>
internal sealed class ReadConnectionPool(string connectionString, int maxIdle) : IDisposable
{
    private readonly ConcurrentQueue<SqliteConnection> _idle = new();
    private int _idleCount;
    private volatile bool _disposed;

    public async ValueTask<SqliteConnection> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryDequeue(out var pooled))
        {
            Interlocked.Decrement(ref _idleCount);
            return pooled;
        }

        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();

            // Readers never write; mmap lets large lists read pages without copying them through the page cache.
            command.CommandText = "PRAGMA query_only = ON; PRAGMA mmap_size = 268435456;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public void Return(SqliteConnection connection)
    {
        if (_disposed || Interlocked.Increment(ref _idleCount) > maxIdle)
        {
            if (!_disposed)
            {
                Interlocked.Decrement(ref _idleCount);
            }

            connection.Dispose();
            return;
        }

        _idle.Enqueue(connection);
        if (_disposed)
        {
            Drain();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Drain();
    }

    private void Drain()
    {
        while (_idle.TryDequeue(out var connection))
        {
            connection.Dispose();
        }
    }
}
