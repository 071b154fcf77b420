namespace Berth.Storage;

/// <summary>One key at one revision.</summary>
public sealed record KeyValue(string Key, ReadOnlyMemory<byte> Value, long CreateRevision, long ModRevision);
