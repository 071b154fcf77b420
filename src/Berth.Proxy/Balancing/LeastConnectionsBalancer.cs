namespace Berth.Proxy.Balancing;

/// <summary>The accepted endpoint with the fewest open connections; ties go round the ring from a moving start.</summary>
internal sealed class LeastConnectionsBalancer : ILoadBalancer
{
    private int _next = -1;

    public LoadBalancingPolicy Policy => LoadBalancingPolicy.LeastConnections;

    public int Pick(ReadOnlySpan<BackendEndpoint> endpoints, EndpointFilter filter)
    {
        var n = endpoints.Length;
        if (n == 0)
        {
            return -1;
        }

        var start = Ring.Next(ref _next, n);
        int best = -1, fewest = int.MaxValue;
        for (var i = 0; i < n; i++)
        {
            var index = start + i < n ? start + i : start + i - n;
            var endpoint = endpoints[index];
            var active = endpoint.ActiveConnections;
            if (active < fewest && filter.Accepts(endpoint))
            {
                best = index;
                fewest = active;
            }
        }

        return best;
    }
}
