namespace Berth.Storage.Sqlite;

/// <summary>A unit of work for the single writer loop.</summary>
internal abstract class StoreOp
{
    public abstract void Fail(Exception exception);
}
