namespace Berth.Storage;

public sealed record ListResult(IReadOnlyList<KeyValue> Items, long Revision, bool More);
