namespace Berth.Storage;

/// <summary>
/// A versioned key-value store in the shape of etcd / kine: every write gets the next cluster-wide
/// revision; updates and deletes are compare-and-swap on the key's last modification revision;
/// watches replay retained history from a revision and then follow live writes.
/// Keys are opaque strings (the API server uses <c>/registry/{resource}/{namespace}/{name}</c>);
/// values are opaque bytes (Kubernetes JSON without <c>metadata.resourceVersion</c>).
/// </summary>
public interface IStore : IAsyncDisposable
{
    /// <summary>The revision of the newest committed write (0 for an empty store).</summary>
    long CurrentRevision { get; }

    /// <summary>Revisions at or below this have been compacted away; watching from them is <see cref="StoreOutcome.Expired"/>.</summary>
    long CompactedRevision { get; }

    /// <summary>Creates <paramref name="key"/>; <see cref="StoreOutcome.AlreadyExists"/> if it is present.</summary>
    ValueTask<WriteResult> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the value if the key's <see cref="KeyValue.ModRevision"/> equals <paramref name="expectedRevision"/>
    /// (0 = unconditional). <see cref="StoreOutcome.NotFound"/> or <see cref="StoreOutcome.Conflict"/> otherwise; the
    /// result then carries the current value when there is one.
    /// </summary>
    ValueTask<WriteResult> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedRevision, CancellationToken cancellationToken);

    /// <summary>Deletes the key under the same compare-and-swap rule; the result carries the deleted value at the delete revision.</summary>
    ValueTask<WriteResult> DeleteAsync(string key, long expectedRevision, CancellationToken cancellationToken);

    ValueTask<KeyValue?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Keys starting with <paramref name="prefix"/>, in key order, strictly after <paramref name="startAfter"/> when given,
    /// at most <paramref name="limit"/> of them (0 = all). <see cref="ListResult.Revision"/> is the store revision the list was read at.
    /// </summary>
    ValueTask<ListResult> ListAsync(string prefix, string? startAfter, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Events for keys starting with <paramref name="prefix"/> with revision &gt; <paramref name="afterRevision"/>, in revision order,
    /// first the retained history then live writes, until <paramref name="cancellationToken"/> fires.
    /// Throws <see cref="RevisionCompactedException"/> when <paramref name="afterRevision"/> is below <see cref="CompactedRevision"/>.
    /// A watcher that cannot keep up is ended (its enumeration completes) rather than stalling writers.
    /// </summary>
    IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken);

    /// <summary>Drops history at or below <paramref name="revision"/> (never the current value of a key).</summary>
    ValueTask CompactAsync(long revision, CancellationToken cancellationToken);
}
