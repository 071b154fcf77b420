namespace Berth.Proxy.Model;

/// <summary>
/// The result of <see cref="TrafficPolicy.Categorize"/> (upstream <c>CategorizeEndpoints</c>): the endpoints Cluster
/// policy uses, those Local policy uses, and whether the Service has a usable endpoint anywhere in the cluster.
/// </summary>
internal sealed record CategorizedEndpoints(EquatableArray<Endpoint> Cluster, EquatableArray<Endpoint> Local, bool HasAnyEndpoints)
{
    public static readonly CategorizedEndpoints None = new([], [], false);
}
