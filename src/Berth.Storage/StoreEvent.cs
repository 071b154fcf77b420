namespace Berth.Storage;

public enum StoreEventType
{
    Created,
    Modified,
    Deleted,
}

/// <summary>A change: for <see cref="StoreEventType.Deleted"/>, <see cref="Value"/> holds the last value and the delete revision.</summary>
public sealed record StoreEvent(StoreEventType Type, KeyValue Value)
{
    public long Revision => Value.ModRevision;
}
