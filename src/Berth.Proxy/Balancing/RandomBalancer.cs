namespace Berth.Proxy.Balancing;

/// <summary>
/// Uniformly at random among the endpoints (what kube-proxy's iptables and nftables modes do): a random start, then
/// round the ring past filtered ones, so there is never a second draw.
/// </summary>
internal sealed class RandomBalancer(Random random) : ILoadBalancer
{
    public LoadBalancingPolicy Policy => LoadBalancingPolicy.Random;

    public int Pick(ReadOnlySpan<BackendEndpoint> endpoints, EndpointFilter filter) =>
        endpoints.IsEmpty ? -1 : Ring.FirstAccepted(endpoints, random.Next(endpoints.Length), filter);
}
