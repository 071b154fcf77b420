namespace Berth.Proxy.Balancing;

/// <summary>A load-balancing policy: picks one endpoint for a new connection or UDP flow. Implementations are thread-safe.</summary>
internal interface ILoadBalancer
{
    LoadBalancingPolicy Policy { get; }

    /// <summary>The index in <paramref name="endpoints"/> of an endpoint <paramref name="filter"/> accepts, or -1.</summary>
    int Pick(ReadOnlySpan<BackendEndpoint> endpoints, EndpointFilter filter);
}
