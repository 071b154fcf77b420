using Berth.Proxy.Balancing;
using Berth.Proxy.Model;
using Berth.Proxy.Observability;

namespace Berth.Proxy.Userspace;

/// <summary>
/// Where new traffic of one kind (internal or external) to one Service port goes: an immutable snapshot, swapped whole
/// by the sync, read without locks by every new connection. Established connections never look at it again.
/// </summary>
internal sealed class RoutingTable
{
    public static readonly RoutingTable Rejecting = new(Verdict.Reject, [], new RoundRobinBalancer(), null);

    public RoutingTable(Verdict verdict, BackendEndpoint[] endpoints, ILoadBalancer balancer, SessionAffinityTable? affinity)
    {
        Verdict = verdict;
        Endpoints = endpoints;
        Balancer = balancer;
        Affinity = affinity;
    }

    public Verdict Verdict { get; }

    public BackendEndpoint[] Endpoints { get; }

    public ILoadBalancer Balancer { get; }

    /// <summary>The Service port's affinity table (shared by its tables), or null without <c>sessionAffinity: ClientIP</c>.</summary>
    public SessionAffinityTable? Affinity { get; }

    public bool Contains(BackendEndpoint endpoint) => Array.IndexOf(Endpoints, endpoint) >= 0;

    /// <summary>
    /// The endpoint for a new connection of <paramref name="client"/> at <paramref name="now"/>: the client's affinity
    /// endpoint while it is still in this table and not marked failed; else the policy's pick among endpoints not yet
    /// <paramref name="tried"/>, avoiding ones marked failed unless nothing else is left. Null when nothing is left.
    /// </summary>
    public BackendEndpoint? Choose(UInt128 client, long now, ReadOnlySpan<BackendEndpoint> tried, out Decision decision)
    {
        var affinity = Affinity;
        if (affinity is not null && tried.IsEmpty && affinity.TryGet(client, now, out var sticky) && !sticky.IsFailed(now) && Contains(sticky))
        {
            decision = Decision.AffinityHit;
            return sticky;
        }

        var index = Balancer.Pick(Endpoints, new EndpointFilter(tried, now, skipFailed: true));
        if (index < 0)
        {
            index = Balancer.Pick(Endpoints, new EndpointFilter(tried, now, skipFailed: false));
        }

        if (index < 0)
        {
            decision = Decision.Refused;
            return null;
        }

        var chosen = Endpoints[index];
        affinity?.Set(client, chosen, now);
        decision = tried.IsEmpty ? Decision.Policy : Decision.Retry;
        return chosen;
    }
}
