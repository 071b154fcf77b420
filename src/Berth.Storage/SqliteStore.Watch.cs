using System.Runtime.CompilerServices;

namespace Berth.Storage;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The watch registers on the first <c>MoveNextAsync</c>. Cancelling <paramref name="cancellationToken"/> ends it
    /// with <see cref="OperationCanceledException"/>; falling more than <see cref="SqliteStoreOptions.WatcherBufferSize"/>
    /// events behind, or disposing the store, ends it normally.
    /// </remarks>
    public IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(afterRevision);
        return WatchCoreAsync(prefix, afterRevision, cancellationToken);
    }

    private async IAsyncEnumerable<StoreEvent> WatchCoreAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var compacted = CompactedRevision;
        if (afterRevision < compacted)
        {
            throw new RevisionCompactedException(afterRevision, compacted);
        }

        var watcher = _hub.Subscribe(prefix, afterRevision);
        try
        {
            // History older than the event ring comes from the log table, a chunk per short read transaction.
            var next = afterRevision;
            while (next < watcher.ReplayThrough)
            {
                var (events, scanned) = await ReadLogAsync(prefix, next, watcher.ReplayThrough, afterRevision, cancellationToken).ConfigureAwait(false);
                foreach (var storeEvent in events)
                {
                    yield return storeEvent;
                }

                next = scanned;
            }

            foreach (var storeEvent in watcher.Backlog)
            {
                yield return storeEvent;
            }

            watcher.Backlog.Clear();
            while (await watcher.Events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (watcher.Events.TryRead(out var storeEvent))
                {
                    yield return storeEvent;
                }
            }
        }
        finally
        {
            _hub.Unsubscribe(watcher);
        }
    }
}
