namespace Berth.Proxy.Balancing;

/// <summary>Each endpoint in turn; a filtered one is skipped to the next in the ring.</summary>
internal sealed class RoundRobinBalancer : ILoadBalancer
{
    private int _next = -1;

    public LoadBalancingPolicy Policy => LoadBalancingPolicy.RoundRobin;

    public int Pick(ReadOnlySpan<BackendEndpoint> endpoints, EndpointFilter filter) =>
        endpoints.IsEmpty ? -1 : Ring.FirstAccepted(endpoints, Ring.Next(ref _next, endpoints.Length), filter);
}
