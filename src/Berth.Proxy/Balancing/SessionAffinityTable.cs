using System.Collections.Concurrent;

namespace Berth.Proxy.Balancing;

/// <summary>
/// Session affinity <c>ClientIP</c> for one Service port (§5.5): client address → endpoint, remembered for
/// <see cref="Timeout"/> after the client's last new connection (sliding, as iptables' <c>recent --rcheck --seconds
/// --reap</c> plus <c>--set</c> on every connection). Times are <see cref="TimeProvider.GetTimestamp"/> values.
/// Lookups and refreshes are lock-free and allocation-free.
/// </summary>
internal sealed class SessionAffinityTable
{
    private readonly ConcurrentDictionary<UInt128, Entry> _entries = new();
    private readonly long _timeout;

    /// <param name="timeout">The stickiness window.</param>
    /// <param name="timestampFrequency">Ticks per second of the timestamps passed in.</param>
    public SessionAffinityTable(TimeSpan timeout, long timestampFrequency)
    {
        Timeout = timeout;
        _timeout = (long)(timeout.TotalSeconds * timestampFrequency);
    }

    public TimeSpan Timeout { get; }

    public int Count => _entries.Count;

    /// <summary>The endpoint <paramref name="client"/> used within the window, which is then extended; false otherwise.</summary>
    public bool TryGet(UInt128 client, long now, out BackendEndpoint endpoint)
    {
        if (_entries.TryGetValue(client, out var entry) && now - Volatile.Read(ref entry.LastUsed) < _timeout)
        {
            Volatile.Write(ref entry.LastUsed, now);
            endpoint = entry.Endpoint;
            return true;
        }

        endpoint = null!;
        return false;
    }

    /// <summary>Remembers that <paramref name="client"/> was sent to <paramref name="endpoint"/> at <paramref name="now"/>.</summary>
    public void Set(UInt128 client, BackendEndpoint endpoint, long now)
    {
        if (_entries.TryGetValue(client, out var entry))
        {
            entry.Endpoint = endpoint;
            Volatile.Write(ref entry.LastUsed, now);
            return;
        }

        _entries[client] = new Entry { Endpoint = endpoint, LastUsed = now };
    }

    /// <summary>Forgets entries idle for longer than the window; returns how many went.</summary>
    public int Sweep(long now)
    {
        var removed = 0;
        foreach (var (client, entry) in _entries)
        {
            if (now - Volatile.Read(ref entry.LastUsed) >= _timeout && _entries.TryRemove(new KeyValuePair<UInt128, Entry>(client, entry)))
            {
                removed++;
            }
        }

        return removed;
    }

    private sealed class Entry
    {
        public volatile BackendEndpoint Endpoint = null!;
        public long LastUsed;
    }
}
