using System.Text;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Tests;

internal static class TestStore
{
    /// <summary>A safety net so a broken test fails instead of hanging; never a pass/fail timing condition.</summary>
    public static CancellationToken TestTimeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    public static Task<SqliteStore> OpenAsync(TempDirectory directory, Action<SqliteStoreOptions>? configure = null)
    {
        var options = new SqliteStoreOptions
        {
            Path = directory.DatabasePath,
            CompactionInterval = Timeout.InfiniteTimeSpan,
        };
        configure?.Invoke(options);
        return SqliteStore.OpenAsync(options, CancellationToken.None);
    }

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    /// <summary>Reads the database file directly, as an operator with the sqlite3 shell would.</summary>
    public static long Scalar(TempDirectory directory, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = directory.DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<List<StoreEvent>> TakeAsync(IAsyncEnumerator<StoreEvent> events, int count)
    {
        var taken = new List<StoreEvent>(Math.Min(count, 1024));
        while (taken.Count < count && await events.MoveNextAsync())
        {
            taken.Add(events.Current);
        }

        return taken;
    }
}
