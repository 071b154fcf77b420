using System.Net;
using System.Net.Sockets;
using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>
/// The zone's rules as a pure function of a <see cref="ZoneSnapshot"/>: a name and a type in, an authoritative answer
/// out (or null: not ours, forward it). NXDOMAIN when the name does not exist, NODATA (NOERROR, no answer, SOA in the
/// authority section) when it exists without that type — kubernetes/dns specification §2 and RFC 2308 §2.2; empty
/// non-terminals exist (RFC 8020). Pod names <c>a-b-c-d.&lt;ns&gt;.pod.&lt;zone&gt;</c> echo the address as CoreDNS'
/// <c>pods insecure</c> does (the kubeadm default, needed by conformance).
/// </summary>
internal static class ZoneResolver
{
    /// <summary>CNAME chains inside the zone are followed this far (RFC 1034 §3.6.2 leaves the bound to us).</summary>
    private const int MaxChain = 8;

    /// <summary>The answer for <paramref name="name"/> (lower-case dotted text), or null when the name belongs upstream.</summary>
    public static ZoneAnswer? Resolve(ZoneSnapshot zone, string name, RecordType type)
    {
        if (zone.TryGetNode(name, out var node))
        {
            return Answer(zone, node, type);
        }

        return Synthesize(zone, name, type);
    }

    /// <summary>The answer of an existing name.</summary>
    public static ZoneAnswer Answer(ZoneSnapshot zone, NameNode node, RecordType type) => Answer(zone, node, type, MaxChain);

    /// <summary>Whether answers of <paramref name="node"/> depend on other names (a CNAME followed inside the zone), so they are not kept.</summary>
    public static bool DependsOnOtherNames(ZoneSnapshot zone, NameNode node) =>
        node.Cname is { } target && zone.Config.ApexOf(target) == zone.Config.Domain;

    /// <summary>The answer for a name that is not in the index: a pod name, NXDOMAIN, or null when it is not ours.</summary>
    public static ZoneAnswer? Synthesize(ZoneSnapshot zone, string name, RecordType type)
    {
        var config = zone.Config;
        var apex = config.ApexOf(name);
        if (apex is null || apex != config.Domain)
        {
            // Reverse names of addresses we do not know fall through to the upstream resolvers (kubeadm's Corefile:
            // `fallthrough in-addr.arpa ip6.arpa`).
            return null;
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && name.EndsWith("." + config.PodSuffix, StringComparison.Ordinal) && zone.TryGetNode(name.AsSpan(dot + 1), out _)
            && PodAddress(name[..dot]) is { } address)
        {
            var wanted = address.AddressFamily == AddressFamily.InterNetwork ? RecordType.A : RecordType.AAAA;
            var record = new ResourceRecord(name, wanted, config.Ttl, new AddressData(address));
            return type == wanted || type == RecordType.ANY
                ? new ZoneAnswer(ResponseCode.NoError, [record], [], [])
                : ZoneAnswer.Negative(ResponseCode.NoError, config.SoaRecord(apex));
        }

        return ZoneAnswer.Negative(ResponseCode.NxDomain, config.SoaRecord(apex));
    }

    private static ZoneAnswer Answer(ZoneSnapshot zone, NameNode node, RecordType type, int chain)
    {
        if (node.Cname is { } target)
        {
            var cname = new ResourceRecord(node.Name, RecordType.CNAME, zone.Config.Ttl, new NameData(target));
            if (type is RecordType.CNAME or RecordType.ANY || chain == 0 || zone.Config.ApexOf(target) != zone.Config.Domain)
            {
                return new ZoneAnswer(ResponseCode.NoError, [cname], [], []);
            }

            // The target is ours: answer it too, as a recursive server would (RFC 1034 §4.3.2 step 3a). The rcode is the
            // last name's (RFC 6604).
            var rest = zone.TryGetNode(target, out var next) ? Answer(zone, next, type, chain - 1) : Synthesize(zone, target, type)!;
            return rest with { Answer = [cname, .. rest.Answer] };
        }

        if (type == RecordType.ANY && node.Sets.Count > 0)
        {
            return new ZoneAnswer(ResponseCode.NoError, [.. node.Sets.SelectMany(s => s.Records)], [], []);
        }

        return node.Find(type) is { } set
            ? new ZoneAnswer(ResponseCode.NoError, set.Records, [], set.Additional)
            : ZoneAnswer.Negative(ResponseCode.NoError, zone.Config.SoaRecord(node.Apex));
    }

    /// <summary><c>10-244-1-5</c> → 10.244.1.5; <c>fd00--5</c> → fd00::5 (CoreDNS: dashes for dots or colons).</summary>
    private static IPAddress? PodAddress(string label)
    {
        if (label.Count(c => c == '-') == 3 && IPAddress.TryParse(label.Replace('-', '.'), out var v4) && v4.AddressFamily == AddressFamily.InterNetwork
            && label.Split('-').All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            return v4;
        }

        return label.Contains("--", StringComparison.Ordinal) || label.Count(c => c == '-') == 7
            ? IPAddress.TryParse(label.Replace('-', ':'), out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null
            : null;
    }
}
