using System.Net;

namespace Berth.Proxy.Model;

/// <summary>
/// The model of one Service port that every backend renders: the Service's side (<see cref="Info"/>), the endpoints
/// merged from all of the Service's slices, and the traffic-policy decision for internal and external traffic. Free of
/// sockets and of time, compared by value: the sync hands a backend only the entries whose model changed.
/// </summary>
internal sealed record ServicePortModel(ServicePortInfo Info, EquatableArray<Endpoint> Endpoints, EndpointTargets Internal, EndpointTargets External)
{
    public ServicePortName Name => Info.Name;

    /// <summary>Where <paramref name="kind"/> traffic goes.</summary>
    public EndpointTargets Targets(EntryKind kind) => kind == EntryKind.ClusterIP ? Internal : External;

    /// <summary>
    /// Every entry point of this port: the cluster IPs, each of <paramref name="nodePortAddresses"/> at the NodePort,
    /// the load-balancer IPs and the external IPs (an address listed twice counts once, under its first kind).
    /// </summary>
    public IReadOnlyList<EntryPoint> EntryPoints(IReadOnlyList<IPAddress> nodePortAddresses)
    {
        var protocol = Info.Name.Protocol;
        var entries = new List<EntryPoint>();
        void Add(IPAddress address, int port, EntryKind kind)
        {
            foreach (var e in entries)
            {
                if (e.Port == port && e.Address.Equals(address))
                {
                    return;
                }
            }

            entries.Add(new EntryPoint(address, port, protocol, kind));
        }

        foreach (var ip in Info.ClusterIPs)
        {
            Add(ip, Info.Port, EntryKind.ClusterIP);
        }

        if (Info.NodePort != 0)
        {
            foreach (var ip in nodePortAddresses)
            {
                Add(ip, Info.NodePort, EntryKind.NodePort);
            }
        }

        foreach (var ip in Info.LoadBalancerIPs)
        {
            Add(ip, Info.Port, EntryKind.LoadBalancer);
        }

        foreach (var ip in Info.ExternalIPs)
        {
            Add(ip, Info.Port, EntryKind.ExternalIP);
        }

        return entries;
    }
}
