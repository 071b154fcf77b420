namespace Berth.Client.Queues;

/// <summary>
/// A queue of keys to reconcile with client-go's workqueue semantics (k8s.io/client-go/util/workqueue):
/// a key is never handed to two workers at once; adding a key that is already waiting does nothing; adding a key
/// that is being processed hands it out again after <see cref="Done"/>; delayed and rate-limited adds.
/// </summary>
/// <remarks>
/// A worker loops: <c>var (key, shutdown) = await queue.GetAsync(ct)</c>; stop on <c>shutdown</c>; reconcile; on success
/// <see cref="Forget"/>, on failure <see cref="AddRateLimited"/>; always <see cref="Done"/>.
/// </remarks>
public sealed partial class WorkQueue<TKey>
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Queue<TKey> _queue = new();

    /// <summary>Keys that need processing: waiting in <see cref="_queue"/>, or re-added while being processed.</summary>
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly WorkQueueOptions _options;
    private readonly TimeProvider _time;
    private bool _shuttingDown;

    public WorkQueue(WorkQueueOptions? options = null)
    {
        options ??= new WorkQueueOptions();
        options.Validate();
        _options = options;
        _time = options.TimeProvider;
        _timer = _time.CreateTimer(static s => ((WorkQueue<TKey>)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Keys waiting to be handed out (not counting those being processed or delayed).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>No key waiting and none being processed (delayed and rate-limited keys not counted).</summary>
    public bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count == 0 && _processing.Count == 0;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (_gate)
            {
                return _shuttingDown;
            }
        }
    }

    /// <summary>Marks <paramref name="key"/> as needing processing. Ignored after <see cref="ShutDown"/>.</summary>
    public void Add(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            AddLocked(key);
        }
    }

    /// <summary>
    /// The next key, marked as being processed until <see cref="Done"/>. Waits while the queue is empty; after
    /// <see cref="ShutDown"/> the keys still queued are handed out, then <c>(default, true)</c>.
    /// </summary>
    public ValueTask<(TKey Key, bool Shutdown)> GetAsync(CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (_queue.Count > 0)
            {
                return ValueTask.FromResult((Take(), false));
            }

            if (_shuttingDown)
            {
                return ValueTask.FromResult((default(TKey)!, true));
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = new Waiter();
            waiter.Node = _waiters.AddLast(waiter);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>Ends the processing of <paramref name="key"/>; if it was added meanwhile it is queued again.</summary>
    public void Done(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key))
            {
                Enqueue(key);
            }
        }
    }

    /// <summary>Stops taking keys and wakes idle workers with <c>shutdown</c>; keys already queued are still handed out.</summary>
    public void ShutDown()
    {
        lock (_gate)
        {
            _shuttingDown = true;
            _delayed.Clear();
            _heap.Clear();
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            while (_waiters.First is { } node)
            {
                _waiters.RemoveFirst();
                node.Value.Node = null;
                node.Value.TrySetResult((default!, true));
            }
        }

        _timer.Dispose();
    }

    private void AddLocked(TKey key)
    {
        if (_shuttingDown || !_dirty.Add(key))
        {
            return;
        }

        if (!_processing.Contains(key))
        {
            Enqueue(key);
        }
    }

    /// <summary>Queues a dirty key, or hands it straight to the longest-waiting worker.</summary>
    private void Enqueue(TKey key)
    {
        if (_waiters.First is { } node)
        {
            _waiters.RemoveFirst();
            node.Value.Node = null;
            _dirty.Remove(key);
            _processing.Add(key);
            node.Value.TrySetResult((key, false));
            return;
        }

        _queue.Enqueue(key);
    }

    private TKey Take()
    {
        var key = _queue.Dequeue();
        _dirty.Remove(key);
        _processing.Add(key);
        return key;
    }

    private async ValueTask<(TKey Key, bool Shutdown)> WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(
            static s =>
            {
                var (queue, w, ct) = ((WorkQueue<TKey>, Waiter, CancellationToken))s!;
                queue.Cancel(w, ct);
            },
            (this, waiter, cancellationToken));
        return await waiter.Task.ConfigureAwait(false);
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // A waiter still in the list has been handed nothing, so no key is lost by cancelling it.
            if (waiter.Node is { } node)
            {
                _waiters.Remove(node);
                waiter.Node = null;
                waiter.TrySetCanceled(cancellationToken);
            }
        }
    }

    private sealed class Waiter() : TaskCompletionSource<(TKey Key, bool Shutdown)>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public LinkedListNode<Waiter>? Node { get; set; }
    }
}
