using System.Net;

namespace Berth.Proxy.Model;

/// <summary>
/// Builds the model of one Service from what the trackers hold (pure: no I/O, no clock): per Service port, the
/// endpoints of every slice of the Service whose port has the same name and protocol (the number comes from the slice,
/// so a named targetPort may resolve to different numbers on different pods), deduplicated by address and port
/// (upstream <c>endpointslicecache.addEndpoints</c>: the first slice in name order wins, a local copy wins over a
/// remote one), ordered by address; then the traffic-policy decision.
/// </summary>
internal static class ServiceModelPlanner
{
    /// <param name="service">The Service; no ports ⇒ no model.</param>
    /// <param name="slices">The Service's slices, ordered by name.</param>
    /// <param name="nodeName">This node: endpoints with this <c>nodeName</c> are local.</param>
    /// <param name="zone">This node's zone, if known (topology hints).</param>
    public static IReadOnlyList<ServicePortModel> Plan(ServiceInfo service, IReadOnlyList<SliceInfo> slices, string nodeName, string? zone)
    {
        if (service.Ports.IsEmpty)
        {
            return [];
        }

        var models = new ServicePortModel[service.Ports.Length];
        for (var i = 0; i < models.Length; i++)
        {
            var port = service.Ports[i];
            var endpoints = Merge(port.Name, slices, nodeName);
            var categorized = TrafficPolicy.Categorize(port, endpoints, nodeName, zone);
            models[i] = new ServicePortModel(port, endpoints, TrafficPolicy.Internal(port, categorized), TrafficPolicy.External(port, categorized));
        }

        return models;
    }

    /// <summary>The endpoints of <paramref name="name"/> across <paramref name="slices"/>.</summary>
    public static EquatableArray<Endpoint> Merge(ServicePortName name, IReadOnlyList<SliceInfo> slices, string nodeName)
    {
        Dictionary<(IPAddress, int), Endpoint>? merged = null;
        foreach (var slice in slices)
        {
            foreach (var port in slice.Ports)
            {
                if (port.Port <= 0 || port.Protocol != name.Protocol || !string.Equals(port.Name, name.Port, StringComparison.Ordinal))
                {
                    continue;
                }

                merged ??= [];
                foreach (var e in slice.Endpoints)
                {
                    var isLocal = nodeName.Length > 0 && string.Equals(e.NodeName, nodeName, StringComparison.Ordinal);
                    var key = (e.Address, port.Port);
                    if (isLocal || !merged.ContainsKey(key))
                    {
                        merged[key] = new Endpoint(e.Address, port.Port, e.Ready, e.Serving, e.Terminating, isLocal, e.ZoneHints, e.NodeHints);
                    }
                }
            }
        }

        if (merged is null || merged.Count == 0)
        {
            return [];
        }

        var endpoints = merged.Values.ToArray();
        Array.Sort(endpoints, CompareEndpoints);
        return endpoints;
    }

    private static int CompareEndpoints(Endpoint a, Endpoint b)
    {
        var family = a.Address.AddressFamily.CompareTo(b.Address.AddressFamily);
        if (family != 0)
        {
            return family;
        }

        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        a.Address.TryWriteBytes(x, out var xn);
        b.Address.TryWriteBytes(y, out var yn);
        var bytes = x[..xn].SequenceCompareTo(y[..yn]);
        return bytes != 0 ? bytes : a.Port.CompareTo(b.Port);
    }
}
