namespace Berth.Proxy.Balancing;

/// <summary>Which endpoints a pick may return: not tried yet for this connection, and (first pass) not marked failed.</summary>
internal readonly ref struct EndpointFilter
{
    private readonly ReadOnlySpan<BackendEndpoint> _tried;
    private readonly long _now;
    private readonly bool _skipFailed;

    public EndpointFilter(ReadOnlySpan<BackendEndpoint> tried, long now, bool skipFailed)
    {
        _tried = tried;
        _now = now;
        _skipFailed = skipFailed;
    }

    public bool Accepts(BackendEndpoint endpoint)
    {
        foreach (var tried in _tried)
        {
            if (ReferenceEquals(tried, endpoint))
            {
                return false;
            }
        }

        return !_skipFailed || !endpoint.IsFailed(_now);
    }
}
