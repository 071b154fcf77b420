namespace Berth.Storage.Watch;

/// <summary>
/// Fans committed events out to watchers and keeps the most recent ones in a ring. Publishing and subscribing take
/// the same lock, so a new watcher gets every event up to the hand-off from the ring (or the log table) and every later
/// one from its channel: nothing is missed or seen twice.
/// </summary>
internal sealed class WatchHub
{
    private readonly Lock _gate = new();
    private readonly StoreEvent[] _ring;
    private readonly int _bufferSize;
    private int _ringStart;
    private int _ringCount;

    // Every event with a revision in (_ringBase, _lastRevision] is in the ring.
    private long _ringBase;
    private long _lastRevision;
    private Watcher[] _watchers = [];
    private bool _closed;

    public WatchHub(long revision, int ringSize, int bufferSize)
    {
        _ring = new StoreEvent[ringSize];
        _bufferSize = bufferSize;
        _ringBase = revision;
        _lastRevision = revision;
    }

    public int WatcherCount => Volatile.Read(ref _watchers).Length;

    public Watcher Subscribe(string prefix, long afterRevision)
    {
        var watcher = new Watcher(prefix, afterRevision, _bufferSize);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (afterRevision < _ringBase)
            {
                watcher.ReplayThrough = _ringBase;
            }

            for (var i = 0; i < _ringCount; i++)
            {
                var storeEvent = _ring[(_ringStart + i) % _ring.Length];
                if (watcher.Matches(storeEvent))
                {
                    watcher.Backlog.Add(storeEvent);
                }
            }

            _watchers = [.. _watchers, watcher];
        }

        return watcher;
    }

    public void Unsubscribe(Watcher watcher)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_watchers, watcher);
            if (index >= 0)
            {
                _watchers = [.. _watchers.AsSpan(0, index), .. _watchers.AsSpan(index + 1)];
            }
        }

        watcher.Complete();
    }

    /// <summary>Records a committed batch (events in revision order) and delivers it; returns the watchers ended for falling behind.</summary>
    public IReadOnlyList<Watcher> Publish(List<StoreEvent> events, long revision)
    {
        List<Watcher>? ended = null;
        lock (_gate)
        {
            foreach (var storeEvent in events)
            {
                Append(storeEvent);
            }

            _lastRevision = Math.Max(_lastRevision, revision);
            foreach (var watcher in _watchers)
            {
                foreach (var storeEvent in events)
                {
                    if (watcher.Matches(storeEvent) && !watcher.TryDeliver(storeEvent))
                    {
                        (ended ??= []).Add(watcher);
                        break;
                    }
                }
            }

            if (ended is not null)
            {
                _watchers = [.. _watchers.Except(ended)];
            }
        }

        return ended ?? (IReadOnlyList<Watcher>)[];
    }

    /// <summary>Ends every watcher (their enumerations complete) and refuses new ones.</summary>
    public void Close()
    {
        Watcher[] watchers;
        lock (_gate)
        {
            _closed = true;
            watchers = _watchers;
            _watchers = [];
        }

        foreach (var watcher in watchers)
        {
            watcher.Complete();
        }
    }

    private void Append(StoreEvent storeEvent)
    {
        if (_ringCount == _ring.Length)
        {
            _ringBase = _ring[_ringStart].Revision;
            _ring[_ringStart] = storeEvent;
            _ringStart = (_ringStart + 1) % _ring.Length;
            return;
        }

        _ring[(_ringStart + _ringCount) % _ring.Length] = storeEvent;
        _ringCount++;
    }
}
