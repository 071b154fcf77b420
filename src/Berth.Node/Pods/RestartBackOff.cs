namespace Berth.Node.Pods;

/// <summary>
/// Per-key exponential back-off as client-go's flowcontrol.Backoff, which the kubelet uses for CrashLoopBackOff and
/// ImagePullBackOff: <see cref="Next"/> starts at the initial delay and doubles up to the cap; an entry not updated for
/// twice the cap starts over (a container that ran 10 minutes restarts without delay again).
/// </summary>
/// <remarks>Not thread-safe: each pod worker owns its own.</remarks>
internal sealed class RestartBackOff(TimeSpan initial, TimeSpan max)
{
    private readonly Dictionary<string, (TimeSpan Delay, DateTimeOffset LastUpdate)> _entries = new(StringComparer.Ordinal);

    /// <summary>Records a failure at <paramref name="eventTime"/> and grows the key's delay.</summary>
    public void Next(string key, DateTimeOffset eventTime)
    {
        if (!_entries.TryGetValue(key, out var entry) || Expired(eventTime, entry.LastUpdate))
        {
            _entries[key] = (initial, eventTime);
            return;
        }

        var doubled = entry.Delay * 2;
        _entries[key] = (doubled > max ? max : doubled, eventTime);
    }

    /// <summary>The key's current delay (zero when it has none).</summary>
    public TimeSpan Get(string key) => _entries.TryGetValue(key, out var entry) ? entry.Delay : TimeSpan.Zero;

    /// <summary>
    /// When the back-off that started at <paramref name="eventTime"/> (a container's finish) ends, or <c>null</c> when
    /// <paramref name="now"/> is past it (IsInBackOffSince).
    /// </summary>
    public DateTimeOffset? InBackOffSince(string key, DateTimeOffset eventTime, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry) || Expired(eventTime, entry.LastUpdate))
        {
            return null;
        }

        var until = eventTime + entry.Delay;
        return now < until ? until : null;
    }

    /// <summary>When the back-off that started at the key's last update ends, or <c>null</c> (IsInBackOffSinceUpdate).</summary>
    public DateTimeOffset? InBackOffSinceUpdate(string key, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry) || Expired(now, entry.LastUpdate))
        {
            return null;
        }

        var until = entry.LastUpdate + entry.Delay;
        return now < until ? until : null;
    }

    private bool Expired(DateTimeOffset eventTime, DateTimeOffset lastUpdate) => eventTime - lastUpdate > max * 2;
}
