using System.Net;
using System.Net.Sockets;
using Berth.Dns.Wire;
using k8s.Models;

namespace Berth.Dns.Zone;

/// <summary>
/// A Service and its EndpointSlices → its names and records (pure; kubernetes/dns specification §2.3–2.4, CoreDNS
/// <c>plugin/kubernetes</c>):
/// <list type="bullet">
/// <item>ClusterIP: A/AAAA of each cluster IP, even without endpoints; <c>_port._proto</c> SRV (named ports only,
/// priority 0, weight 100, the Service port, target the Service); PTR of each cluster IP.</item>
/// <item>Headless: A/AAAA of each ready endpoint (all with <c>publishNotReadyAddresses</c>), <c>hostname.svc</c>
/// per endpoint (its <c>hostname</c>, else the dashed address as CoreDNS does), N×M SRV (endpoint ports, target the
/// endpoint's name, weight ⌊100/N⌋ as CoreDNS), PTR per endpoint address. No ready endpoint: the name does not exist.</item>
/// <item>ExternalName: a CNAME to <c>spec.externalName</c> for every type.</item>
/// </list>
/// </summary>
internal static class ServiceRecords
{
    public static ServiceEntry Build(ZoneConfig zone, V1Service service, IEnumerable<V1EndpointSlice> slices)
    {
        var fqdn = $"{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.{zone.ServiceSuffix}";
        var spec = service.Spec ?? new V1ServiceSpec();
        if (spec.Type == "ExternalName")
        {
            var target = spec.ExternalName?.TrimEnd('.').ToLowerInvariant();
            return string.IsNullOrEmpty(target) || !DnsName.IsValid(target)
                ? ServiceEntry.Empty
                : new ServiceEntry([new NameNode(fqdn, zone.Domain, [], target)], []);
        }

        if (spec.ClusterIP == "None")
        {
            return Headless(zone, fqdn, spec, slices);
        }

        var ips = (spec.ClusterIPs is { Count: > 0 } list ? list : spec.ClusterIP is { } one ? [one] : [])
            .Select(ip => IPAddress.TryParse(ip, out var a) ? a : null).OfType<IPAddress>().ToList();
        return ips.Count == 0 ? ServiceEntry.Empty : ClusterIp(zone, fqdn, spec, ips);
    }

    private static ServiceEntry ClusterIp(ZoneConfig zone, string fqdn, V1ServiceSpec spec, List<IPAddress> ips)
    {
        var names = new NodeSetBuilder(zone.Domain);
        foreach (var ip in ips)
        {
            names.Add(Address(zone, fqdn, ip));
        }

        var targets = AddressRecords(names, fqdn);
        foreach (var port in spec.Ports ?? [])
        {
            if (!string.IsNullOrEmpty(port.Name))
            {
                AddSrv(zone, names, fqdn, port.Name, port.Protocol, port.Port, fqdn, targets);
            }
        }

        return new ServiceEntry(names.Build(), [.. ips.Select(ip => KeyValuePair.Create(ReverseName.Of(ip), fqdn))]);
    }

    private static ServiceEntry Headless(ZoneConfig zone, string fqdn, V1ServiceSpec spec, IEnumerable<V1EndpointSlice> slices)
    {
        var names = new NodeSetBuilder(zone.Domain);
        var pointers = new List<KeyValuePair<string, string>>();
        var srv = new List<(string Port, string? Protocol, int Number, string Target)>();
        foreach (var slice in slices.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            if (slice.AddressType is not ("IPv4" or "IPv6"))
            {
                continue;
            }

            foreach (var endpoint in slice.Endpoints ?? [])
            {
                var ready = endpoint.Conditions?.Ready ?? true;
                if ((!ready && spec.PublishNotReadyAddresses != true) || endpoint.Addresses is not { Count: > 0 }
                    || !IPAddress.TryParse(endpoint.Addresses[0], out var ip))
                {
                    continue;
                }

                var host = $"{EndpointHostname(endpoint, ip)}.{fqdn}";
                names.Add(Address(zone, fqdn, ip));
                names.Add(Address(zone, host, ip));
                pointers.Add(KeyValuePair.Create(ReverseName.Of(ip), host));
                foreach (var port in slice.Ports ?? [])
                {
                    if (!string.IsNullOrEmpty(port.Name) && port.Port is { } number)
                    {
                        srv.Add((port.Name, port.Protocol, number, host));
                    }
                }
            }
        }

        foreach (var (port, protocol, number, target) in srv)
        {
            AddSrv(zone, names, fqdn, port, protocol, number, target, AddressRecords(names, target));
        }

        // CoreDNS plugin/backend_lookup.go: weight = ⌊100 / records in the set⌋ when every record has weight 100.
        names.Map(RecordType.SRV, set => set.Select(r => r with { Data = ((SrvData)r.Data) with { Weight = (ushort)(100 / set.Count) } }));
        return new ServiceEntry(names.Build(), pointers.Distinct().ToList());
    }

    private static void AddSrv(ZoneConfig zone, NodeSetBuilder names, string fqdn, string port, string? protocol, int number, string target, IEnumerable<ResourceRecord> additional)
    {
        var proto = "_" + (protocol ?? "TCP").ToLowerInvariant();
        names.AddName($"{proto}.{fqdn}");
        names.Add(new ResourceRecord($"_{port.ToLowerInvariant()}.{proto}.{fqdn}", RecordType.SRV, zone.Ttl, new SrvData(0, 100, (ushort)number, target)), additional);
    }

    private static ResourceRecord[] AddressRecords(NodeSetBuilder names, string name) =>
        [.. names.Records(name, RecordType.A), .. names.Records(name, RecordType.AAAA)];

    private static ResourceRecord Address(ZoneConfig zone, string name, IPAddress ip) =>
        new(name, ip.AddressFamily == AddressFamily.InterNetwork ? RecordType.A : RecordType.AAAA, zone.Ttl, new AddressData(ip));

    /// <summary>CoreDNS <c>endpointHostname</c>: the endpoint's hostname, else its address with dots (or colons) as dashes.</summary>
    private static string EndpointHostname(V1Endpoint endpoint, IPAddress ip) =>
        !string.IsNullOrEmpty(endpoint.Hostname) ? endpoint.Hostname.ToLowerInvariant()
        : ip.AddressFamily == AddressFamily.InterNetwork ? ip.ToString().Replace('.', '-') : ip.ToString().Replace(':', '-');
}
