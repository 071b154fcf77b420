namespace Berth.Client.Queues;

public sealed partial class WorkQueue<TKey>
{
    /// <summary>Each delayed key's due time; a later <see cref="AddAfter"/> can only bring it forward.</summary>
    private readonly Dictionary<TKey, DateTimeOffset> _delayed = [];

    /// <summary>Delayed keys by due time; entries whose time no longer matches <see cref="_delayed"/> are stale.</summary>
    private readonly PriorityQueue<TKey, DateTimeOffset> _heap = new();
    private static readonly TimeSpan _maxTimerWait = TimeSpan.FromDays(1);

    private readonly ITimer _timer;

    /// <summary>Adds <paramref name="key"/> once <paramref name="delay"/> has passed (at once when it is not positive).</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            if (delay <= TimeSpan.Zero)
            {
                AddLocked(key);
                return;
            }

            var due = _time.GetUtcNow() + delay;
            if (_delayed.TryGetValue(key, out var existing) && existing <= due)
            {
                return;
            }

            _delayed[key] = due;
            _heap.Enqueue(key, due);
            ArmTimer();
        }
    }

    /// <summary>
    /// Adds <paramref name="key"/> after its per-key backoff: <see cref="WorkQueueOptions.BaseDelay"/> doubled for each
    /// rate-limited add since the last <see cref="Forget"/>, capped at <see cref="WorkQueueOptions.MaxDelay"/>.
    /// </summary>
    public void AddRateLimited(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        TimeSpan delay;
        lock (_gate)
        {
            var failures = _failures.GetValueOrDefault(key);
            _failures[key] = failures + 1;
            var ticks = _options.BaseDelay.Ticks * Math.Pow(2, failures);
            delay = ticks >= _options.MaxDelay.Ticks ? _options.MaxDelay : TimeSpan.FromTicks((long)ticks);
        }

        AddAfter(key, delay);
    }

    /// <summary>Clears the backoff of <paramref name="key"/> (call after it was processed successfully).</summary>
    public void Forget(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>How many rate-limited adds <paramref name="key"/> has had since the last <see cref="Forget"/>.</summary>
    public int NumRequeues(TKey key)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            var now = _time.GetUtcNow();
            while (_heap.TryPeek(out var key, out var due) && due <= now)
            {
                _heap.Dequeue();
                if (_delayed.TryGetValue(key, out var current) && current == due)
                {
                    _delayed.Remove(key);
                    AddLocked(key);
                }
            }

            ArmTimer();
        }
    }

    /// <summary>Points the one timer at the earliest live due time (under the lock).</summary>
    private void ArmTimer()
    {
        while (_heap.TryPeek(out var key, out var due))
        {
            if (_delayed.TryGetValue(key, out var current) && current == due)
            {
                // Clamped: timers take at most ~49 days; waking early just re-arms.
                var wait = due - _time.GetUtcNow();
                _timer.Change(wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > _maxTimerWait ? _maxTimerWait : wait, Timeout.InfiniteTimeSpan);
                return;
            }

            _heap.Dequeue(); // stale: the key was re-scheduled earlier and already fired, or moved forward
        }

        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }
}
