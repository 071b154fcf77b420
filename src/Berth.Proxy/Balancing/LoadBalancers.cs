namespace Berth.Proxy.Balancing;

/// <summary>Makes the balancer of a policy.</summary>
internal static class LoadBalancers
{
    public static ILoadBalancer Create(LoadBalancingPolicy policy, Random random) => policy switch
    {
        LoadBalancingPolicy.Random => new RandomBalancer(random),
        LoadBalancingPolicy.LeastConnections => new LeastConnectionsBalancer(),
        _ => new RoundRobinBalancer(),
    };
}
