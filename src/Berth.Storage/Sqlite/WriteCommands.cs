using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>The writer connection's prepared statements; used only by the writer loop.</summary>
internal sealed class WriteCommands : IDisposable
{
    private readonly SqliteCommand _find;
    private readonly SqliteCommand _insertKv;
    private readonly SqliteCommand _updateKv;
    private readonly SqliteCommand _deleteKv;
    private readonly SqliteCommand _insertLog;
    private readonly SqliteCommand _setMeta;
    private readonly SqliteCommand _deleteLog;
    private readonly SqliteCommand[] _all;

    public WriteCommands(SqliteConnection connection)
    {
        _find = Create(connection, "SELECT value, create_rev, mod_rev FROM kv WHERE key = $key;", "$key");
        _insertKv = Create(connection, "INSERT INTO kv(key, value, create_rev, mod_rev) VALUES ($key, $value, $rev, $rev);", "$key", "$value", "$rev");
        _updateKv = Create(connection, "UPDATE kv SET value = $value, mod_rev = $rev WHERE key = $key;", "$key", "$value", "$rev");
        _deleteKv = Create(connection, "DELETE FROM kv WHERE key = $key;", "$key");
        _insertLog = Create(
            connection,
            "INSERT INTO log(rev, key, type, value, create_rev) VALUES ($rev, $key, $type, $value, $create_rev);",
            "$rev",
            "$key",
            "$type",
            "$value",
            "$create_rev");
        _setMeta = Create(connection, "UPDATE meta SET value = $value WHERE name = $name;", "$name", "$value");
        _deleteLog = Create(connection, "DELETE FROM log WHERE rev <= $rev;", "$rev");
        _all = [_find, _insertKv, _updateKv, _deleteKv, _insertLog, _setMeta, _deleteLog];
    }

    public void Enlist(SqliteTransaction? transaction)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }
    }

    public KeyValue? Find(string key)
    {
        _find.Parameters[0].Value = key;
        using var reader = _find.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new KeyValue(key, reader.GetFieldValue<byte[]>(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public void InsertKv(string key, byte[] value, long revision) => Execute(_insertKv, key, value, revision);

    public void UpdateKv(string key, byte[] value, long revision) => Execute(_updateKv, key, value, revision);

    public void DeleteKv(string key) => Execute(_deleteKv, key);

    public void InsertLog(long revision, string key, int type, byte[] value, long createRevision) =>
        Execute(_insertLog, revision, key, type, value, createRevision);

    public void SetMeta(string name, long value) => Execute(_setMeta, name, value);

    public long DeleteLogThrough(long revision) => Execute(_deleteLog, revision);

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static int Execute(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        return command.ExecuteNonQuery();
    }
}
