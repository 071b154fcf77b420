using System.Globalization;
using k8s.Models;

namespace Berth.Status;

/// <summary>Joins Services, EndpointSlices, Pods and Nodes into a <see cref="ClusterStatus"/> (pure: lists in, model out).</summary>
internal static class StatusPlanner
{
    private const string ServiceNameLabel = "kubernetes.io/service-name";

    public static ClusterStatus Build(IEnumerable<V1Service> services, IEnumerable<V1EndpointSlice> slices, IEnumerable<V1Pod> pods, IEnumerable<V1Node> nodes)
    {
        var podList = pods.ToList();
        var podsByName = podList.ToDictionary(p => (p.Metadata.NamespaceProperty, p.Metadata.Name));
        var slicesByService = slices
            .Where(s => s.Metadata.Labels?.ContainsKey(ServiceNameLabel) == true)
            .ToLookup(s => (s.Metadata.NamespaceProperty, s.Metadata.Labels[ServiceNameLabel]));

        var serviceStatuses = services
            .OrderBy(s => s.Metadata.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(s => s.Metadata.Name, StringComparer.Ordinal)
            .Select(s => Service(s, slicesByService[(s.Metadata.NamespaceProperty, s.Metadata.Name)].ToList(), podsByName))
            .ToList();
        var nodeStatuses = nodes
            .OrderBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .Select(n => new NodeStatus(
                n.Metadata.Name,
                n.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status ?? "Unknown",
                n.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address,
                n.Spec?.PodCIDR,
                podList.Count(p => p.Spec?.NodeName == n.Metadata.Name)))
            .ToList();
        return new ClusterStatus(nodeStatuses, serviceStatuses);
    }

    private static ServiceStatus Service(V1Service service, List<V1EndpointSlice> slices, Dictionary<(string, string), V1Pod> pods)
    {
        var spec = service.Spec;
        var ns = service.Metadata.NamespaceProperty;
        var ports = (spec?.Ports ?? [])
            .Select(p => new PortStatus(
                string.IsNullOrEmpty(p.Name) ? null : p.Name,
                p.Port,
                p.Protocol ?? "TCP",
                p.NodePort,
                p.TargetPort?.Value ?? p.Port.ToString(CultureInfo.InvariantCulture),
                Endpoints(slices, p.Name ?? string.Empty, p.Protocol ?? "TCP", ns, pods)))
            .ToList();
        var portless = ports.Count == 0 ? Endpoints(slices, portName: null, protocol: null, ns, pods) : [];
        return new ServiceStatus(
            ns,
            service.Metadata.Name,
            spec?.Type ?? "ClusterIP",
            spec?.ClusterIP,
            [.. (service.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Ip ?? i.Hostname).OfType<string>()],
            [.. spec?.ExternalIPs ?? []],
            spec?.ExternalName,
            ports,
            portless);
    }

    /// <summary>
    /// The endpoints of every slice that has the port (by name and protocol; <paramref name="portName"/> null: every
    /// endpoint, for a Service without ports), deduplicated by address as consumers of several slices do.
    /// </summary>
    private static List<EndpointStatus> Endpoints(List<V1EndpointSlice> slices, string? portName, string? protocol, string ns, Dictionary<(string, string), V1Pod> pods)
    {
        var result = new List<EndpointStatus>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slice in slices)
        {
            int? port = null;
            if (portName is not null)
            {
                var match = slice.Ports?.FirstOrDefault(p => (p.Name ?? string.Empty) == portName && (p.Protocol ?? "TCP") == protocol);
                if (match is null)
                {
                    continue;
                }

                port = match.Port;
            }

            foreach (var endpoint in slice.Endpoints ?? [])
            {
                var address = endpoint.Addresses?.FirstOrDefault();
                if (address is null || !seen.Add(address))
                {
                    continue;
                }

                V1Pod? pod = null;
                if (endpoint.TargetRef is { Kind: "Pod" } target)
                {
                    pods.TryGetValue((target.NamespaceProperty ?? ns, target.Name), out pod);
                }

                result.Add(new EndpointStatus(address, port, Condition(endpoint.Conditions), pod is null ? null : Pod(pod), endpoint.NodeName));
            }
        }

        return [.. result.OrderBy(e => e.Pod?.Name ?? e.Address, StringComparer.Ordinal)];
    }

    /// <summary>§1.7's consumer semantics: ready nil ⇒ ready, serving nil ⇒ ready, terminating nil ⇒ false.</summary>
    private static string Condition(V1EndpointConditions? conditions)
    {
        var ready = conditions?.Ready ?? true;
        var serving = conditions?.Serving ?? ready;
        var terminating = conditions?.Terminating ?? false;
        return (ready, serving, terminating) switch
        {
            (true, _, _) => "ready",
            (false, true, true) => "terminating (serving)",
            (false, false, true) => "terminating",
            _ => "not ready",
        };
    }

    private static PodStatus Pod(V1Pod pod) => new(
        pod.Metadata.Name,
        pod.Metadata.DeletionTimestamp is null ? pod.Status?.Phase ?? "Pending" : "Terminating",
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
        pod.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0,
        pod.Spec?.NodeName);
}
