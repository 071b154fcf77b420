using System.Net;

namespace Berth.Proxy.Model;

/// <summary>
/// What a Service says about one of its ports, as a proxy needs it (kube-proxy's <c>BaseServicePortInfo</c>,
/// pkg/proxy/serviceport.go). Immutable, compared by value: an update that changes none of this is no change.
/// </summary>
internal sealed record ServicePortInfo
{
    public required ServicePortName Name { get; init; }

    public required ServiceRef Service { get; init; }

    /// <summary>The Service port (the VIP side).</summary>
    public required int Port { get; init; }

    /// <summary>Every address of <c>spec.clusterIPs</c>.</summary>
    public EquatableArray<IPAddress> ClusterIPs { get; init; }

    /// <summary>The NodePort, or 0.</summary>
    public int NodePort { get; init; }

    /// <summary><c>status.loadBalancer.ingress[].ip</c> whose <c>ipMode</c> is VIP or unset (LoadBalancer Services only).</summary>
    public EquatableArray<IPAddress> LoadBalancerIPs { get; init; }

    public EquatableArray<IPAddress> ExternalIPs { get; init; }

    /// <summary><c>sessionAffinity: ClientIP</c>'s timeout, or null for no affinity.</summary>
    public TimeSpan? AffinityTimeout { get; init; }

    /// <summary><c>internalTrafficPolicy: Local</c>.</summary>
    public bool InternalPolicyLocal { get; init; }

    /// <summary><c>externalTrafficPolicy: Local</c> on a Service reachable from outside (false otherwise, as upstream).</summary>
    public bool ExternalPolicyLocal { get; init; }

    /// <summary><c>spec.healthCheckNodePort</c> of a LoadBalancer Service with <c>externalTrafficPolicy: Local</c>, or 0.</summary>
    public int HealthCheckNodePort { get; init; }

    /// <summary>From the <c>proxy.berth.dev/load-balancing</c> annotation; null means the node's default.</summary>
    public LoadBalancingPolicy? LoadBalancing { get; init; }

    /// <summary>The <c>proxy.berth.dev/proxy-protocol: v2</c> annotation: a PROXY v2 header precedes the client's bytes.</summary>
    public bool ProxyProtocol { get; init; }

    /// <summary>Reachable from outside the cluster: a NodePort, a load-balancer IP or an external IP (upstream <c>ExternallyAccessible</c>).</summary>
    public bool ExternallyAccessible => NodePort != 0 || !LoadBalancerIPs.IsEmpty || !ExternalIPs.IsEmpty;

    /// <summary>Some traffic uses the Cluster policy (upstream <c>UsesClusterEndpoints</c>).</summary>
    public bool UsesClusterEndpoints => !InternalPolicyLocal || (ExternallyAccessible && !ExternalPolicyLocal);

    /// <summary>Some traffic uses the Local policy (upstream <c>UsesLocalEndpoints</c>).</summary>
    public bool UsesLocalEndpoints => InternalPolicyLocal || (ExternallyAccessible && ExternalPolicyLocal);
}
