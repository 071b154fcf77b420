namespace Berth.Proxy.Model;

/// <summary>
/// The one traffic-policy decision every backend shares (§5.3, §5.6, §5.7), a pure function after kube-proxy's
/// <c>CategorizeEndpoints</c> (pkg/proxy/topology.go): usable means ready, falling back — separately for Cluster and
/// Local — to serving-and-terminating endpoints when none is ready; topology hints narrow the Cluster set when every
/// ready endpoint carries one and some are for this node (or its zone).
/// </summary>
internal static class TrafficPolicy
{
    /// <summary>Splits <paramref name="endpoints"/> of <paramref name="port"/> for a proxy on <paramref name="nodeName"/> in <paramref name="zone"/>.</summary>
    public static CategorizedEndpoints Categorize(ServicePortInfo port, EquatableArray<Endpoint> endpoints, string nodeName, string? zone)
    {
        if (endpoints.IsEmpty)
        {
            return CategorizedEndpoints.None;
        }

        EquatableArray<Endpoint> cluster = [];
        var hasAny = false;
        if (port.UsesClusterEndpoints)
        {
            var topology = TopologyMode(endpoints, nodeName, zone);
            cluster = Filter(endpoints, e => e.Ready && AvailableForTopology(e, topology, nodeName, zone));

            // No ready endpoint anywhere (a topology with none for us was already ruled out): terminating ones that
            // still serve carry the traffic, so a rolling update behind the Service drains instead of failing.
            if (cluster.IsEmpty)
            {
                cluster = Filter(endpoints, e => e.Serving && e.Terminating);
            }

            hasAny = !cluster.IsEmpty;
        }

        if (!port.UsesLocalEndpoints)
        {
            return new CategorizedEndpoints(cluster, [], hasAny);
        }

        bool localReady = false, localServingTerminating = false;
        foreach (var e in endpoints)
        {
            if (e.Ready)
            {
                hasAny = true;
                localReady |= e.IsLocal;
            }
            else if (e.Serving && e.Terminating)
            {
                hasAny = true;
                localServingTerminating |= e.IsLocal;
            }
        }

        EquatableArray<Endpoint> local = localReady
            ? Filter(endpoints, e => e.IsLocal && e.Ready)
            : localServingTerminating ? Filter(endpoints, e => e.IsLocal && e.Serving && e.Terminating) : [];
        return new CategorizedEndpoints(cluster, local, hasAny);
    }

    /// <summary>
    /// Where internal traffic (to the cluster IPs) goes: the Local set under <c>internalTrafficPolicy: Local</c>, else
    /// the Cluster set; nothing usable anywhere ⇒ reject; usable endpoints elsewhere but none local ⇒ drop.
    /// </summary>
    public static EndpointTargets Internal(ServicePortInfo port, CategorizedEndpoints categorized) =>
        Targets(port.InternalPolicyLocal, categorized);

    /// <summary>Where external traffic (NodePorts, load-balancer IPs, external IPs) goes, by <c>externalTrafficPolicy</c>.</summary>
    public static EndpointTargets External(ServicePortInfo port, CategorizedEndpoints categorized) =>
        port.ExternallyAccessible ? Targets(port.ExternalPolicyLocal, categorized) : EndpointTargets.Rejected;

    private static EndpointTargets Targets(bool local, CategorizedEndpoints categorized)
    {
        if (!categorized.HasAnyEndpoints)
        {
            return EndpointTargets.Rejected;
        }

        var endpoints = local ? categorized.Local : categorized.Cluster;
        if (!endpoints.IsEmpty)
        {
            return EndpointTargets.Forward(endpoints);
        }

        return local ? EndpointTargets.Dropped : EndpointTargets.Rejected;
    }

    /// <summary>
    /// Upstream <c>topologyModeFromHints</c>: "node" when every ready endpoint has a node hint and one names this
    /// node; else "zone" when every ready endpoint has a zone hint and one names this node's zone; else none.
    /// </summary>
    private static Topology TopologyMode(EquatableArray<Endpoint> endpoints, string nodeName, string? zone)
    {
        bool anyReady = false, allNodeHints = true, forNode = false, allZoneHints = true, forZone = false;
        foreach (var e in endpoints)
        {
            if (!e.Ready)
            {
                continue;
            }

            anyReady = true;
            if (e.NodeHints.IsEmpty)
            {
                allNodeHints = false;
            }
            else if (Contains(e.NodeHints, nodeName))
            {
                forNode = true;
            }

            if (e.ZoneHints.IsEmpty)
            {
                allZoneHints = false;
            }
            else if (zone is not null && Contains(e.ZoneHints, zone))
            {
                forZone = true;
            }
        }

        return !anyReady ? Topology.None
            : allNodeHints && forNode ? Topology.SameNode
            : allZoneHints && forZone ? Topology.SameZone
            : Topology.None;
    }

    private static bool AvailableForTopology(Endpoint e, Topology mode, string nodeName, string? zone) => mode switch
    {
        Topology.SameNode => Contains(e.NodeHints, nodeName),
        Topology.SameZone => zone is not null && Contains(e.ZoneHints, zone),
        _ => true,
    };

    private static bool Contains(EquatableArray<string> values, string value)
    {
        foreach (var v in values)
        {
            if (string.Equals(v, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The endpoints <paramref name="keep"/> accepts: the very same array when it accepts all (the usual case).</summary>
    private static EquatableArray<Endpoint> Filter(EquatableArray<Endpoint> endpoints, Func<Endpoint, bool> keep)
    {
        List<Endpoint>? kept = null;
        for (var i = 0; i < endpoints.Length; i++)
        {
            if (!keep(endpoints[i]))
            {
                kept ??= [.. endpoints.AsSpan()[..i]];
            }
            else
            {
                kept?.Add(endpoints[i]);
            }
        }

        return kept is null ? endpoints : kept.Count == 0 ? [] : new EquatableArray<Endpoint>([.. kept]);
    }

    private enum Topology
    {
        None,
        SameNode,
        SameZone,
    }
}
