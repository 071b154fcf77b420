namespace Berth.Proxy;

/// <summary>
/// How a new connection (or UDP flow) picks among a Service port's usable endpoints. Per Service with the annotation
/// <c>proxy.berth.dev/load-balancing: round-robin|random|least-connections</c>; the node's default is
/// <see cref="ProxyOptions.LoadBalancing"/>.
/// </summary>
public enum LoadBalancingPolicy
{
    /// <summary>Each endpoint in turn (IPVS <c>rr</c>, HAProxy <c>roundrobin</c>).</summary>
    RoundRobin,

    /// <summary>Uniformly at random (what iptables and nftables modes do).</summary>
    Random,

    /// <summary>The endpoint with the fewest open connections through this proxy (IPVS <c>lc</c>).</summary>
    LeastConnections,
}
