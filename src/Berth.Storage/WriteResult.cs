namespace Berth.Storage;

/// <summary>
/// The outcome of a write. On <see cref="StoreOutcome.Ok"/>, <see cref="Value"/> is the written key (for a delete: the
/// deleted value with <see cref="KeyValue.ModRevision"/> = the delete's revision). On a failed compare-and-swap it is the
/// current value, if any.
/// </summary>
public sealed record WriteResult(StoreOutcome Outcome, KeyValue? Value);
