using System.Net;
using Berth.Core.Errors;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Allocation;

/// <summary>
/// Cluster IPs and NodePorts for Service writes, in the order of Kubernetes' service REST storage: after defaulting,
/// before validation. A failed allocation is a single-cause 422 (or a 500 when a range is full); the caller rolls the
/// transaction back when validation or the store write fails, and commits it after the write.
/// </summary>
internal sealed class ServiceAllocation : IAllocationHook
{
    private readonly ClusterIpAllocator _ips;
    private readonly NodePortAllocator _ports;

    public ServiceAllocation(ClusterIpAllocator ips, NodePortAllocator ports)
    {
        _ips = ips;
        _ports = ports;
    }

    public ClusterIpAllocator ClusterIps => _ips;

    public NodePortAllocator NodePorts => _ports;

    /// <summary>Marks what stored Services hold as allocated (at start; duplicates are left to the repair loop).</summary>
    public void Restore(V1Service svc)
    {
        if (NeedsClusterIp(svc) && IPAddress.TryParse(svc.Spec.ClusterIP, out var ip))
        {
            _ips.Allocate(ip);
        }

        foreach (var port in UsedNodePorts(svc))
        {
            _ports.Allocate(port);
        }
    }

    public AllocationTransaction BeforeCreate(IKubernetesObject<V1ObjectMeta> obj, bool dryRun) => AllocateForCreate((V1Service)obj, dryRun);

    public AllocationTransaction BeforeUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old, bool dryRun) =>
        AllocateForUpdate((V1Service)obj, (V1Service)old, dryRun);

    public void AfterDelete(IKubernetesObject<V1ObjectMeta> obj) => Release((V1Service)obj);

    public AllocationTransaction AllocateForCreate(V1Service svc, bool dryRun)
    {
        var tx = new AllocationTransaction();
        try
        {
            Normalize(svc);
            if (NeedsClusterIp(svc))
            {
                AllocateClusterIp(svc, tx);
            }

            AllocateNodePorts(svc, [], tx);
        }
        catch
        {
            tx.Rollback();
            throw;
        }

        return Finish(tx, dryRun);
    }

    public AllocationTransaction AllocateForUpdate(V1Service svc, V1Service old, bool dryRun)
    {
        var tx = new AllocationTransaction();
        try
        {
            Normalize(svc);
            var oldNeeds = NeedsClusterIp(old);
            var newNeeds = NeedsClusterIp(svc);
            if (oldNeeds && newNeeds)
            {
                // An update that leaves the cluster IP out keeps the allocated one (Kubernetes' patchAllocatedValues).
                if (string.IsNullOrEmpty(svc.Spec.ClusterIP))
                {
                    svc.Spec.ClusterIP = old.Spec.ClusterIP;
                    svc.Spec.ClusterIPs = old.Spec.ClusterIPs is null ? null : [.. old.Spec.ClusterIPs];
                }
            }
            else if (newNeeds)
            {
                AllocateClusterIp(svc, tx);
            }

            if (oldNeeds && !NeedsClusterIp(svc) && IPAddress.TryParse(old.Spec.ClusterIP, out var oldIp))
            {
                tx.OnCommit(() => _ips.Release(oldIp));
            }

            var oldPorts = UsedNodePorts(old);
            if (NeedsNodePorts(old) && NeedsNodePorts(svc))
            {
                foreach (var port in svc.Spec.Ports ?? [])
                {
                    if ((port.NodePort ?? 0) == 0)
                    {
                        var match = old.Spec.Ports?.FirstOrDefault(p => p.Port == port.Port && (p.Protocol ?? "TCP") == (port.Protocol ?? "TCP"));
                        port.NodePort = match?.NodePort;
                    }
                }

                if (NeedsHealthCheck(old) && NeedsHealthCheck(svc) && (svc.Spec.HealthCheckNodePort ?? 0) == 0)
                {
                    svc.Spec.HealthCheckNodePort = old.Spec.HealthCheckNodePort;
                }
            }

            AllocateNodePorts(svc, oldPorts, tx);
            var kept = UsedNodePorts(svc);
            foreach (var port in oldPorts.Where(p => !kept.Contains(p)))
            {
                tx.OnCommit(() => _ports.Release(port));
            }
        }
        catch
        {
            tx.Rollback();
            throw;
        }

        return Finish(tx, dryRun);
    }

    /// <summary>Frees what a deleted Service held; call after the delete has committed.</summary>
    public void Release(V1Service old)
    {
        if (NeedsClusterIp(old) && IPAddress.TryParse(old.Spec.ClusterIP, out var ip))
        {
            _ips.Release(ip);
        }

        foreach (var port in UsedNodePorts(old))
        {
            _ports.Release(port);
        }
    }

    public static bool NeedsClusterIp(V1Service svc) =>
        svc.Spec is not null && svc.Spec.Type != "ExternalName" && svc.Spec.ClusterIP != "None";

    public static bool NeedsNodePorts(V1Service svc) =>
        svc.Spec?.Type == "NodePort" || (svc.Spec?.Type == "LoadBalancer" && svc.Spec.AllocateLoadBalancerNodePorts != false);

    public static bool NeedsHealthCheck(V1Service svc) =>
        svc.Spec?.Type == "LoadBalancer" && svc.Spec.ExternalTrafficPolicy == "Local";

    /// <summary>The NodePorts a stored Service holds (ports and health check), as the allocator counts them.</summary>
    public static HashSet<int> UsedNodePorts(V1Service svc)
    {
        var used = new HashSet<int>();
        if (NeedsNodePorts(svc))
        {
            foreach (var p in svc.Spec.Ports ?? [])
            {
                if (p.NodePort is > 0)
                {
                    used.Add(p.NodePort.Value);
                }
            }
        }

        if (NeedsHealthCheck(svc) && svc.Spec.HealthCheckNodePort is > 0)
        {
            used.Add(svc.Spec.HealthCheckNodePort.Value);
        }

        return used;
    }

    private static void Normalize(V1Service svc)
    {
        svc.Spec ??= new V1ServiceSpec();
        if (!string.IsNullOrEmpty(svc.Spec.ClusterIP) && (svc.Spec.ClusterIPs is null || svc.Spec.ClusterIPs.Count == 0))
        {
            svc.Spec.ClusterIPs = [svc.Spec.ClusterIP];
        }
        else if (string.IsNullOrEmpty(svc.Spec.ClusterIP) && svc.Spec.ClusterIPs is { Count: > 0 })
        {
            svc.Spec.ClusterIP = svc.Spec.ClusterIPs[0];
        }
    }

    private void AllocateClusterIp(V1Service svc, AllocationTransaction tx)
    {
        if (!string.IsNullOrEmpty(svc.Spec.ClusterIP))
        {
            if (!IPAddress.TryParse(svc.Spec.ClusterIP, out var wanted))
            {
                return; // not an IP: validation reports it
            }

            var outcome = _ips.Allocate(wanted);
            var rendered = "[]string{" + string.Join(", ", (svc.Spec.ClusterIPs ?? [svc.Spec.ClusterIP]).Select(FieldError.Quote)) + "}";
            var path = FieldPath.Root("spec").Child("clusterIPs");
            switch (outcome)
            {
                case AllocationOutcome.Allocated:
                    tx.OnRollback(() => _ips.Release(wanted));
                    return;
                case AllocationOutcome.OutOfRange:
                    throw Invalid(svc, FieldError.InvalidRendered(path, rendered, $"failed to allocate IP {wanted}: the provided IP ({wanted}) is not in the valid range. The range of valid IPs is {_ips.Cidr.Text}"));
                default:
                    throw Invalid(svc, FieldError.InvalidRendered(path, rendered, $"failed to allocate IP {wanted}: provided IP is already allocated"));
            }
        }

        var ip = _ips.AllocateNext() ?? throw StatusErrors.Internal("failed to allocate a serviceIP: range is full");
        tx.OnRollback(() => _ips.Release(ip));
        svc.Spec.ClusterIP = ip.ToString();
        svc.Spec.ClusterIPs = [ip.ToString()];
    }

    private void AllocateNodePorts(V1Service svc, HashSet<int> alreadyHeld, AllocationTransaction tx)
    {
        var ports = svc.Spec.Ports ?? [];
        if (NeedsNodePorts(svc))
        {
            var claimed = new Dictionary<int, int>(); // service port number → nodePort given in this write
            for (var i = 0; i < ports.Count; i++)
            {
                var port = ports[i];
                var path = FieldPath.Root("spec").Child("ports").Index(i).Child("nodePort");
                if (port.NodePort is > 0 and var wanted)
                {
                    if (!alreadyHeld.Contains(wanted) && !claimed.ContainsValue(wanted))
                    {
                        Claim(svc, wanted, path, tx);
                    }

                    claimed.TryAdd(port.Port, wanted);
                }
            }

            for (var i = 0; i < ports.Count; i++)
            {
                var port = ports[i];
                if (port.NodePort is > 0)
                {
                    continue;
                }

                // TCP 53 and UDP 53 share one NodePort when only one of them asked for it.
                if (claimed.TryGetValue(port.Port, out var shared))
                {
                    port.NodePort = shared;
                    continue;
                }

                var next = _ports.AllocateNext();
                if (next == 0)
                {
                    throw StatusErrors.Internal("failed to allocate a nodePort: range is full");
                }

                tx.OnRollback(() => _ports.Release(next));
                port.NodePort = next;
                claimed[port.Port] = next;
            }
        }

        if (NeedsHealthCheck(svc))
        {
            var path = FieldPath.Root("spec").Child("healthCheckNodePort");
            if (svc.Spec.HealthCheckNodePort is > 0 and var wanted)
            {
                if (!alreadyHeld.Contains(wanted))
                {
                    Claim(svc, wanted, path, tx);
                }
            }
            else
            {
                var next = _ports.AllocateNext();
                if (next == 0)
                {
                    throw StatusErrors.Internal("failed to allocate a nodePort: range is full");
                }

                tx.OnRollback(() => _ports.Release(next));
                svc.Spec.HealthCheckNodePort = next;
            }
        }
    }

    private void Claim(V1Service svc, int port, FieldPath path, AllocationTransaction tx)
    {
        switch (_ports.Allocate(port))
        {
            case AllocationOutcome.Allocated:
                tx.OnRollback(() => _ports.Release(port));
                return;
            case AllocationOutcome.OutOfRange:
                throw Invalid(svc, FieldError.Invalid(path, port, $"provided port is not in the valid range. The range of valid ports is {_ports.Range}"));
            default:
                throw Invalid(svc, FieldError.Invalid(path, port, "provided port is already allocated"));
        }
    }

    /// <summary>A dry run checks and shows what would be allocated, then gives it all back.</summary>
    private static AllocationTransaction Finish(AllocationTransaction tx, bool dryRun)
    {
        if (!dryRun)
        {
            return tx;
        }

        tx.Rollback();
        return AllocationTransaction.None;
    }

    private static StatusException Invalid(V1Service svc, FieldError error) =>
        StatusErrors.Invalid("", "Service", svc.Metadata?.Name ?? "", [error]);
}
