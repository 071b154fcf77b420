namespace Berth.Proxy.Health;

/// <summary>
/// kube-proxy's healthz semantics (pkg/proxy/healthcheck/proxy_health.go): the proxy is healthy unless a change it was
/// told about (<see cref="QueuedUpdate"/>) has waited longer than the timeout for a sync to apply it
/// (<see cref="Updated"/>). kube-proxy uses twice its sync period as the timeout.
/// </summary>
internal sealed class ProxyHealth(TimeProvider time, TimeSpan timeout)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _oldestPending;
    private DateTimeOffset? _latestPending;
    private DateTimeOffset? _lastUpdated;

    public DateTimeOffset? LastUpdated
    {
        get
        {
            lock (_gate)
            {
                return _lastUpdated;
            }
        }
    }

    /// <summary>A change arrived; the oldest one not yet applied is what counts.</summary>
    public void QueuedUpdate()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _oldestPending ??= now;
            _latestPending = now;
        }
    }

    /// <summary>A sync applied everything queued before <paramref name="syncStarted"/>.</summary>
    public void Updated(DateTimeOffset syncStarted)
    {
        lock (_gate)
        {
            // A change that arrived during the sync may have missed it: it is still pending, counted (at the
            // latest) from the sync's start.
            _oldestPending = _latestPending is { } latest && latest > syncStarted ? syncStarted : null;

            _lastUpdated = time.GetUtcNow();
        }
    }

    public bool IsHealthy()
    {
        lock (_gate)
        {
            return _oldestPending is not { } pending || time.GetUtcNow() - pending < timeout;
        }
    }
}
