using System.Net;
using Berth.Proxy.Model;
using k8s.Models;

namespace Berth.Proxy.Changes;

/// <summary>
/// Reads a <see cref="V1Service"/> into the proxy's <see cref="ServiceInfo"/> (kube-proxy's
/// <c>newBaseServiceInfo</c>, pkg/proxy/serviceport.go; §5.1, §5.2). Headless and ExternalName Services and Services
/// labelled <c>service.kubernetes.io/service-proxy-name</c> get no ports: this proxy leaves them alone.
/// </summary>
internal static class ServiceParser
{
    public const string ServiceProxyNameLabel = "service.kubernetes.io/service-proxy-name";

    /// <summary>Per Service: <c>round-robin</c> | <c>random</c> | <c>least-connections</c>.</summary>
    public const string LoadBalancingAnnotation = "proxy.berth.dev/load-balancing";

    /// <summary>Per Service: <c>v2</c> writes a PROXY protocol v2 header to the endpoint before the client's bytes.</summary>
    public const string ProxyProtocolAnnotation = "proxy.berth.dev/proxy-protocol";

    /// <summary>kube-apiserver's default <c>sessionAffinityConfig.clientIP.timeoutSeconds</c> (3 hours).</summary>
    public const int DefaultAffinityTimeoutSeconds = 10800;

    public static ServiceInfo Parse(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var meta = service.Metadata;
        var reference = new ServiceRef(meta.NamespaceProperty ?? "default", meta.Name, meta.Uid);
        var spec = service.Spec;
        if (spec is null || !IsProxied(service))
        {
            return new ServiceInfo(reference, []);
        }

        var clusterIPs = Addresses(spec.ClusterIPs is { Count: > 0 } ips ? ips : [spec.ClusterIP]);
        var type = spec.Type ?? "ClusterIP";
        var externalIPs = Addresses(spec.ExternalIPs ?? []);
        var loadBalancerIPs = type == "LoadBalancer"
            ? Addresses((service.Status?.LoadBalancer?.Ingress ?? []).Where(i => i.IpMode is null or "VIP").Select(i => i.Ip))
            : [];

        // apiservice.ExternallyAccessible / ExternalPolicyLocal / NeedsHealthCheck (pkg/api/v1/service/util.go).
        var externallyAccessible = type is "NodePort" or "LoadBalancer" || (type == "ClusterIP" && !externalIPs.IsEmpty);
        var externalLocal = externallyAccessible && spec.ExternalTrafficPolicy == "Local";
        var healthCheckNodePort = type == "LoadBalancer" && externalLocal ? spec.HealthCheckNodePort ?? 0 : 0;
        TimeSpan? affinity = spec.SessionAffinity == "ClientIP"
            ? TimeSpan.FromSeconds(spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? DefaultAffinityTimeoutSeconds)
            : null;
        var annotations = meta.Annotations;
        var balancing = annotations?.TryGetValue(LoadBalancingAnnotation, out var lb) == true ? ParseLoadBalancing(lb) : null;
        var proxyProtocol = annotations?.TryGetValue(ProxyProtocolAnnotation, out var pp) == true && string.Equals(pp, "v2", StringComparison.OrdinalIgnoreCase);

        var ports = new List<ServicePortInfo>();
        foreach (var port in spec.Ports ?? [])
        {
            ports.Add(new ServicePortInfo
            {
                Name = new ServicePortName(reference.Namespace, reference.Name, port.Name ?? string.Empty, ParseProtocol(port.Protocol)),
                Service = reference,
                Port = port.Port,
                ClusterIPs = clusterIPs,
                NodePort = port.NodePort ?? 0,
                LoadBalancerIPs = loadBalancerIPs,
                ExternalIPs = externalIPs,
                AffinityTimeout = affinity,
                InternalPolicyLocal = spec.InternalTrafficPolicy == "Local",
                ExternalPolicyLocal = externalLocal,
                HealthCheckNodePort = healthCheckNodePort,
                LoadBalancing = balancing,
                ProxyProtocol = proxyProtocol,
            });
        }

        return new ServiceInfo(reference, [.. ports]);
    }

    /// <summary>
    /// Whether this proxy serves the Service: it has a cluster IP (not headless), is not ExternalName, and carries no
    /// <c>service.kubernetes.io/service-proxy-name</c> label (pkg/proxy/config: such Services belong to another proxy).
    /// </summary>
    public static bool IsProxied(V1Service service)
    {
        var spec = service.Spec;
        if (spec is null || spec.Type == "ExternalName" || string.IsNullOrEmpty(spec.ClusterIP) || spec.ClusterIP == "None")
        {
            return false;
        }

        return service.Metadata.Labels?.TryGetValue(ServiceProxyNameLabel, out var name) != true || string.IsNullOrEmpty(name);
    }

    public static TransportProtocol ParseProtocol(string? protocol) => protocol switch
    {
        "UDP" => TransportProtocol.UDP,
        "SCTP" => TransportProtocol.SCTP,
        _ => TransportProtocol.TCP,
    };

    /// <summary>An annotation value, or null (the node's default) when it names no policy.</summary>
    public static LoadBalancingPolicy? ParseLoadBalancing(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "round-robin" or "roundrobin" or "rr" => LoadBalancingPolicy.RoundRobin,
        "random" => LoadBalancingPolicy.Random,
        "least-connections" or "leastconnections" or "lc" => LoadBalancingPolicy.LeastConnections,
        _ => null,
    };

    private static EquatableArray<IPAddress> Addresses(IEnumerable<string?> values)
    {
        var list = new List<IPAddress>();
        foreach (var value in values)
        {
            if (value is not null && IPAddress.TryParse(value, out var ip) && !list.Contains(ip))
            {
                list.Add(ip);
            }
        }

        return list.Count == 0 ? [] : new EquatableArray<IPAddress>([.. list]);
    }
}
