namespace Berth.Proxy.Model;

/// <summary>Which address of a Service port a client used: it decides the traffic policy (§5.2).</summary>
internal enum EntryKind
{
    /// <summary><c>clusterIP:port</c> — internal traffic (<c>internalTrafficPolicy</c>).</summary>
    ClusterIP,

    /// <summary><c>nodeAddress:nodePort</c> — external traffic (<c>externalTrafficPolicy</c>).</summary>
    NodePort,

    /// <summary><c>status.loadBalancer.ingress[].ip:port</c> — external traffic.</summary>
    LoadBalancer,

    /// <summary><c>externalIPs[]:port</c> — external traffic.</summary>
    ExternalIP,
}
