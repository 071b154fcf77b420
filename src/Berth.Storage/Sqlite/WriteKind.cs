namespace Berth.Storage.Sqlite;

internal enum WriteKind
{
    Create,
    Update,
    Delete,
}
