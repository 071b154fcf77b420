using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// Service defaulting and update preparation: <c>SetDefaults_Service</c> (pkg/apis/core/v1/defaults.go),
/// <c>NormalizeClusterIPs</c>, <c>patchAllocatedValues</c> and <c>dropTypeDependentFields</c>
/// (pkg/registry/core/service), and the IP-family part of the allocator's <c>initIPFamilyFields</c>.
/// Nothing here allocates an IP or a port.
/// </summary>
public static class ServiceDefaults
{
    public const string ClusterIPNone = "None";
    public const int DefaultClientIPTimeoutSeconds = 10800;

    /// <summary><c>SetDefaults_Service</c>; idempotent.</summary>
    public static void Apply(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var spec = service.Spec ??= new V1ServiceSpec();
        if (string.IsNullOrEmpty(spec.SessionAffinity))
        {
            spec.SessionAffinity = "None";
        }

        if (spec.SessionAffinity == "None")
        {
            spec.SessionAffinityConfig = null;
        }

        if (spec.SessionAffinity == "ClientIP" && spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds is null)
        {
            spec.SessionAffinityConfig = new V1SessionAffinityConfig { ClientIP = new V1ClientIPConfig { TimeoutSeconds = DefaultClientIPTimeoutSeconds } };
        }

        if (string.IsNullOrEmpty(spec.Type))
        {
            spec.Type = "ClusterIP";
        }

        foreach (var port in spec.Ports ?? [])
        {
            if (string.IsNullOrEmpty(port.Protocol))
            {
                port.Protocol = "TCP";
            }

            if (port.TargetPort is null || port.TargetPort.Value is null or "" or "0")
            {
                port.TargetPort = port.Port;
            }
        }

        if (IsExternallyAccessible(service) && string.IsNullOrEmpty(spec.ExternalTrafficPolicy))
        {
            spec.ExternalTrafficPolicy = "Cluster";
        }

        if (spec.InternalTrafficPolicy is null && spec.Type is "ClusterIP" or "NodePort" or "LoadBalancer")
        {
            spec.InternalTrafficPolicy = "Cluster";
        }

        if (spec.Type == "LoadBalancer")
        {
            spec.AllocateLoadBalancerNodePorts ??= true;
            foreach (var ingress in service.Status?.LoadBalancer?.Ingress ?? [])
            {
                if (!string.IsNullOrEmpty(ingress.Ip) && ingress.IpMode is null)
                {
                    ingress.IpMode = "VIP";
                }
            }
        }
    }

    /// <summary>
    /// The defaulting half of the allocator's <c>initIPFamilyFields</c>: fills <c>ipFamilyPolicy</c> and
    /// <c>ipFamilies</c>. Errors (unconfigured families, dual-stack on a single-stack cluster) are
    /// reported by <see cref="ServiceValidation"/>. On update, call after
    /// <see cref="PrepareForUpdate"/> (which inherits the old policy).
    /// </summary>
    public static void InitIPFamilyFields(V1Service service, ServiceNetworkOptions network)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(network);
        var spec = service.Spec ??= new V1ServiceSpec();
        if (spec.Type == "ExternalName" || ServiceValidation.ClusterIPsRelatedFields(service).Count != 0)
        {
            // Upstream stops at the loose check; validation reports it.
            return;
        }

        if (spec.ClusterIP == ClusterIPNone && (spec.Selector is null || spec.Selector.Count == 0))
        {
            // Headless without selector: may carry both families even on a single-stack cluster.
            spec.IpFamilyPolicy ??= "RequireDualStack";
            if (spec.IpFamilies is null || spec.IpFamilies.Count == 0)
            {
                spec.IpFamilies = [network.PrimaryFamily];
            }

            if (spec.IpFamilies.Count < 2 && spec.IpFamilyPolicy != "SingleStack")
            {
                spec.IpFamilies.Add(ServiceNetworkOptions.OtherFamily(spec.IpFamilies[0]));
            }

            return;
        }

        var ips = spec.ClusterIPs ?? [];
        var numIPs = ips.Count > 0 && ips[0] == ClusterIPNone ? 0 : ips.Count;
        if (((spec.IpFamilies?.Count ?? 0) > 1 || numIPs > 1) && spec.IpFamilyPolicy is null)
        {
            spec.IpFamilyPolicy = "RequireDualStack";
        }

        // Infer families from the given IPs (only families the cluster has; validation reports the rest).
        if (numIPs > 0)
        {
            spec.IpFamilies ??= [];
            for (var i = spec.IpFamilies.Count; i < ips.Count; i++)
            {
                var family = Validation.IPAddresses.FamilyOf(ips[i]);
                if (family is null || !network.Supports(family))
                {
                    break;
                }

                spec.IpFamilies.Add(family);
            }
        }

        spec.IpFamilyPolicy ??= "SingleStack";
        if (spec.IpFamilies is null || spec.IpFamilies.Count == 0)
        {
            spec.IpFamilies = [network.PrimaryFamily];
        }

        if (spec.IpFamilyPolicy != "SingleStack" && network.IsDualStack && spec.IpFamilies.Count == 1)
        {
            spec.IpFamilies.Add(ServiceNetworkOptions.OtherFamily(spec.IpFamilies[0]));
        }
    }

    /// <summary>
    /// <c>NormalizeClusterIPs</c>: keeps <c>clusterIP</c> and <c>clusterIPs[0]</c> in step when a client
    /// sets only one of them. <paramref name="old"/> is null on create.
    /// </summary>
    public static void NormalizeClusterIPs(V1Service service, V1Service? old)
    {
        ArgumentNullException.ThrowIfNull(service);
        var spec = service.Spec ??= new V1ServiceSpec();
        if (old is null)
        {
            if (!string.IsNullOrEmpty(spec.ClusterIP) && (spec.ClusterIPs is null || spec.ClusterIPs.Count == 0))
            {
                spec.ClusterIPs = [spec.ClusterIP];
            }

            return;
        }

        var oldSpec = old.Spec ?? new V1ServiceSpec();
        if ((oldSpec.ClusterIPs?.Count ?? 0) > 0 && (spec.ClusterIPs?.Count ?? 0) == 0 && (oldSpec.ClusterIP ?? "") == (spec.ClusterIP ?? ""))
        {
            spec.ClusterIPs = [.. oldSpec.ClusterIPs!];
        }

        if ((oldSpec.ClusterIP ?? "") != (spec.ClusterIP ?? ""))
        {
            if (!string.IsNullOrEmpty(oldSpec.ClusterIP) && string.IsNullOrEmpty(spec.ClusterIP) && SameClusterIPs(old, service))
            {
                spec.ClusterIPs = null;
            }

            if (!string.IsNullOrEmpty(spec.ClusterIP) && SameClusterIPs(old, service))
            {
                spec.ClusterIPs = [spec.ClusterIP];
            }
        }
    }

    /// <summary>
    /// Update preparation of the Service registry (before defaulting): <c>patchAllocatedValues</c>
    /// (a client that omits allocated clusterIP/nodePorts/healthCheckNodePort keeps them),
    /// <c>NormalizeClusterIPs</c>, <c>dropTypeDependentFields</c> (§3.5: wipe fields the user left
    /// unchanged when the type no longer uses them) and the update part of <c>initIPFamilyFields</c>.
    /// </summary>
    public static void PrepareForUpdate(V1Service service, V1Service old)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(old);
        service.Spec ??= new V1ServiceSpec();
        old.Spec ??= new V1ServiceSpec();
        PatchAllocatedValues(service, old);
        NormalizeClusterIPs(service, old);
        DropTypeDependentFields(service, old);
        InheritIPFamilyPolicy(service, old);
    }

    public static bool IsExternallyAccessible(V1Service service) =>
        service.Spec?.Type is "LoadBalancer" or "NodePort" ||
        (service.Spec?.Type == "ClusterIP" && (service.Spec.ExternalIPs?.Count ?? 0) > 0);

    public static bool NeedsClusterIP(V1Service service) => service.Spec?.Type != "ExternalName";

    public static bool NeedsNodePort(V1Service service) => service.Spec?.Type is "NodePort" or "LoadBalancer";

    public static bool NeedsHealthCheck(V1Service service) =>
        service.Spec?.Type == "LoadBalancer" && service.Spec.ExternalTrafficPolicy == "Local";

    public static bool IsHeadless(V1Service service) =>
        service.Spec?.ClusterIPs is { Count: 1 } ips && ips[0] == ClusterIPNone;

    private static void PatchAllocatedValues(V1Service service, V1Service old)
    {
        var spec = service.Spec;
        var oldSpec = old.Spec;
        if (NeedsClusterIP(old) && NeedsClusterIP(service))
        {
            if (string.IsNullOrEmpty(spec.ClusterIP))
            {
                spec.ClusterIP = oldSpec.ClusterIP;
            }

            if ((spec.ClusterIPs?.Count ?? 0) == 0 && (oldSpec.ClusterIPs?.Count ?? 0) > 0)
            {
                spec.ClusterIPs = [.. oldSpec.ClusterIPs!];
            }
        }

        if (NeedsNodePort(old) && NeedsNodePort(service))
        {
            var oldUsed = (oldSpec.Ports ?? []).Where(p => (p.NodePort ?? 0) != 0).Select(p => p.NodePort!.Value).ToHashSet();
            var used = (spec.Ports ?? []).Where(p => (p.NodePort ?? 0) != 0).Select(p => p.NodePort!.Value).Where(oldUsed.Contains).ToHashSet();
            var byName = new Dictionary<string, int>();
            foreach (var p in oldSpec.Ports ?? [])
            {
                byName[p.Name ?? ""] = p.NodePort ?? 0;
            }

            foreach (var p in spec.Ports ?? [])
            {
                if ((p.NodePort ?? 0) == 0 && byName.TryGetValue(p.Name ?? "", out var oldValue) && oldValue != 0 && !used.Contains(oldValue))
                {
                    p.NodePort = oldValue;
                }
            }
        }

        if (NeedsHealthCheck(old) && NeedsHealthCheck(service) && (spec.HealthCheckNodePort ?? 0) == 0)
        {
            spec.HealthCheckNodePort = oldSpec.HealthCheckNodePort;
        }
    }

    private static void DropTypeDependentFields(V1Service service, V1Service old)
    {
        var spec = service.Spec;
        var oldSpec = old.Spec;
        if (NeedsClusterIP(old) && !NeedsClusterIP(service))
        {
            if (SameClusterIPs(old, service))
            {
                spec.ClusterIP = null;
                spec.ClusterIPs = null;
            }

            if (SameList(oldSpec.IpFamilies, spec.IpFamilies))
            {
                spec.IpFamilies = null;
            }

            if (oldSpec.IpFamilyPolicy == spec.IpFamilyPolicy)
            {
                spec.IpFamilyPolicy = null;
            }
        }

        if (NeedsNodePort(old) && !NeedsNodePort(service))
        {
            if (SameNodePorts(old, service))
            {
                foreach (var p in spec.Ports ?? [])
                {
                    p.NodePort = null;
                }
            }

            if (oldSpec.ExternalTrafficPolicy == spec.ExternalTrafficPolicy)
            {
                spec.ExternalTrafficPolicy = null;
            }
        }

        if (NeedsHealthCheck(old) && !NeedsHealthCheck(service) && oldSpec.HealthCheckNodePort == spec.HealthCheckNodePort)
        {
            spec.HealthCheckNodePort = null;
        }

        if (oldSpec.Type == "LoadBalancer" && spec.Type != "LoadBalancer")
        {
            if (spec.AllocateLoadBalancerNodePorts is not null && spec.AllocateLoadBalancerNodePorts == oldSpec.AllocateLoadBalancerNodePorts)
            {
                spec.AllocateLoadBalancerNodePorts = null;
            }

            if (oldSpec.LoadBalancerClass == spec.LoadBalancerClass)
            {
                spec.LoadBalancerClass = null;
            }
        }

        if (IsExternallyAccessible(old) && !IsExternallyAccessible(service) && oldSpec.ExternalTrafficPolicy == spec.ExternalTrafficPolicy)
        {
            spec.ExternalTrafficPolicy = null;
        }

        // The only code path that sees the transition away from LoadBalancer clears the LB status.
        if (oldSpec.Type == "LoadBalancer" && spec.Type != "LoadBalancer" && service.Status is not null)
        {
            service.Status.LoadBalancer = new V1LoadBalancerStatus();
        }
    }

    private static void InheritIPFamilyPolicy(V1Service service, V1Service old)
    {
        var spec = service.Spec;
        if (!NeedsClusterIP(service))
        {
            return;
        }

        if (spec.IpFamilyPolicy is null && NeedsClusterIP(old))
        {
            spec.IpFamilyPolicy = old.Spec.IpFamilyPolicy;
        }

        // Setting SingleStack with unchanged IPs/families is a clear request to drop the secondary.
        if (spec.IpFamilyPolicy == "SingleStack")
        {
            if (SameClusterIPs(old, service) && spec.ClusterIPs is { Count: > 1 })
            {
                spec.ClusterIPs = [spec.ClusterIPs[0]];
            }

            if (SameList(old.Spec.IpFamilies, spec.IpFamilies) && spec.IpFamilies is { Count: > 1 })
            {
                spec.IpFamilies = [spec.IpFamilies[0]];
            }
        }
    }

    private static bool SameClusterIPs(V1Service a, V1Service b) => SameList(a.Spec?.ClusterIPs, b.Spec?.ClusterIPs);

    /// <summary>Users may add, remove or modify ports as long as they add no net-new nodePort.</summary>
    private static bool SameNodePorts(V1Service old, V1Service service)
    {
        var oldPorts = (old.Spec?.Ports ?? []).Select(p => p.NodePort ?? 0).Where(n => n != 0).ToHashSet();
        return (service.Spec?.Ports ?? []).Select(p => p.NodePort ?? 0).Where(n => n != 0).All(oldPorts.Contains);
    }

    private static bool SameList(IList<string>? a, IList<string>? b) =>
        (a ?? []).SequenceEqual(b ?? [], StringComparer.Ordinal);
}
