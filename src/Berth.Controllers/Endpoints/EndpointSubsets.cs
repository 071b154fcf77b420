using k8s.Models;

namespace Berth.Controllers.Endpoints;

/// <summary>
/// Subset canonicalisation and capacity limiting for <c>v1/Endpoints</c>: <see cref="Repack"/> after
/// <c>pkg/api/v1/endpoints.RepackSubsets</c>, <see cref="Truncate"/> after the endpoints controller's
/// <c>truncateEndpoints</c>. Upstream sorts by hash; this sorts by readable keys, equally deterministic.
/// </summary>
internal static class EndpointSubsets
{
    /// <summary>
    /// Groups addresses by the exact set of ports they serve: one subset per distinct address set, with all the
    /// ports served by exactly that set. An address ready for a port wins over the same address not ready.
    /// Subsets without ports (headless Services without ports) are kept.
    /// </summary>
    public static List<V1EndpointSubset> Repack(IEnumerable<V1EndpointSubset>? subsets)
    {
        // port key → (address key → (address, ready)); a null port is the "no ports" sentinel.
        var byPort = new Dictionary<string, (Corev1EndpointPort? Port, Dictionary<string, (V1EndpointAddress Address, bool Ready)> Addresses)>(StringComparer.Ordinal);
        foreach (var subset in subsets ?? [])
        {
            var ports = subset.Ports is { Count: > 0 } ? subset.Ports.Select(p => (Corev1EndpointPort?)p).ToList() : [null];
            foreach (var port in ports)
            {
                var portKey = port is null ? string.Empty : PortKey(port);
                if (!byPort.TryGetValue(portKey, out var entry))
                {
                    byPort[portKey] = entry = (port, new(StringComparer.Ordinal));
                }

                foreach (var address in subset.Addresses ?? [])
                {
                    entry.Addresses[AddressKey(address)] = (address, true);
                }

                foreach (var address in subset.NotReadyAddresses ?? [])
                {
                    entry.Addresses.TryAdd(AddressKey(address), (address, false));
                }
            }
        }

        // Ports offered by the same address set share a subset.
        var groups = new Dictionary<string, (Dictionary<string, (V1EndpointAddress Address, bool Ready)> Addresses, List<Corev1EndpointPort> Ports)>(StringComparer.Ordinal);
        foreach (var (_, (port, addresses)) in byPort)
        {
            if (addresses.Count == 0)
            {
                continue;
            }

            var setKey = string.Join('\u0001', addresses.Select(a => a.Key + (a.Value.Ready ? "+" : "-")).Order(StringComparer.Ordinal));
            if (!groups.TryGetValue(setKey, out var group))
            {
                groups[setKey] = group = (addresses, []);
            }

            if (port is not null)
            {
                group.Ports.Add(port);
            }
        }

        var result = groups.Values.Select(g => new V1EndpointSubset
        {
            Addresses = NullIfEmpty(g.Addresses.Values.Where(a => a.Ready).Select(a => a.Address).OrderBy(a => a, AddressComparer.Instance).ToList()),
            NotReadyAddresses = NullIfEmpty(g.Addresses.Values.Where(a => !a.Ready).Select(a => a.Address).OrderBy(a => a, AddressComparer.Instance).ToList()),
            Ports = NullIfEmpty(g.Ports.OrderBy(PortKey, StringComparer.Ordinal).ToList()),
        });
        return [.. result.OrderBy(SubsetKey, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Caps the total at <paramref name="maxCapacity"/> addresses. Not-ready addresses are dropped first; when ready
    /// ones alone exceed the cap, all not-ready go and ready ones are cut proportionally per subset (rounded up,
    /// bounded by what is left). Returns false when nothing had to be cut.
    /// </summary>
    public static bool Truncate(IList<V1EndpointSubset> subsets, int maxCapacity)
    {
        var totalReady = subsets.Sum(s => s.Addresses?.Count ?? 0);
        var totalNotReady = subsets.Sum(s => s.NotReadyAddresses?.Count ?? 0);
        if (totalReady + totalNotReady <= maxCapacity)
        {
            return false;
        }

        var truncateReady = totalReady > maxCapacity;
        var max = truncateReady ? maxCapacity : maxCapacity - totalReady;
        var total = truncateReady ? totalReady : totalNotReady;
        var canBeAdded = max;
        foreach (var subset in subsets)
        {
            var inSubset = truncateReady ? subset.Addresses?.Count ?? 0 : subset.NotReadyAddresses?.Count ?? 0;
            var toBeAdded = Math.Min((int)Math.Ceiling((double)inSubset / total * max), canBeAdded);
            if (truncateReady)
            {
                subset.Addresses = subset.Addresses?.Take(toBeAdded).ToList();
                subset.NotReadyAddresses = null;
                canBeAdded -= subset.Addresses?.Count ?? 0;
            }
            else
            {
                subset.NotReadyAddresses = NullIfEmpty(subset.NotReadyAddresses?.Take(toBeAdded).ToList());
                canBeAdded -= subset.NotReadyAddresses?.Count ?? 0;
            }
        }

        return true;
    }

    private static List<T>? NullIfEmpty<T>(List<T>? list) => list is { Count: > 0 } ? list : null;

    private static string AddressKey(V1EndpointAddress address) => address.Ip + "\u0000" + address.TargetRef?.Uid;

    internal static string PortKey(Corev1EndpointPort port) =>
        string.Join('\u0000', port.Name ?? string.Empty, port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), port.Protocol ?? "TCP", port.AppProtocol ?? string.Empty);

    private static string SubsetKey(V1EndpointSubset subset) =>
        string.Join('\u0001', (subset.Ports ?? []).Select(PortKey))
        + "\u0002" + string.Join('\u0001', (subset.Addresses ?? []).Concat(subset.NotReadyAddresses ?? []).Select(AddressKey));

    /// <summary>By IP then target UID, ordinally (upstream <c>LessEndpointAddress</c>).</summary>
    private sealed class AddressComparer : IComparer<V1EndpointAddress>
    {
        public static AddressComparer Instance { get; } = new();

        public int Compare(V1EndpointAddress? x, V1EndpointAddress? y)
        {
            var byIp = string.CompareOrdinal(x?.Ip, y?.Ip);
            return byIp != 0 ? byIp : string.CompareOrdinal(x?.TargetRef?.Uid, y?.TargetRef?.Uid);
        }
    }
}
