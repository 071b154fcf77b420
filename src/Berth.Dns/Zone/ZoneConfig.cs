using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>
/// The cluster zone's fixed facts: its domain, the TTL of every record, and the SOA that negative answers carry
/// (CoreDNS' shape: <c>&lt;zone&gt;. SOA ns.dns.&lt;zone&gt;. hostmaster.&lt;zone&gt;. serial 7200 1800 86400 ttl</c>).
/// </summary>
internal sealed class ZoneConfig
{
    /// <summary>kubernetes/dns specification: the schema version answered at <c>dns-version.&lt;zone&gt;</c> (CoreDNS DNSSchemaVersion).</summary>
    public const string SchemaVersion = "1.1.0";

    public const string ReverseV4 = "in-addr.arpa";
    public const string ReverseV6 = "ip6.arpa";

    public ZoneConfig(string domain, uint ttl, uint serial)
    {
        Domain = domain.TrimEnd('.').ToLowerInvariant();
        Ttl = ttl;
        Serial = serial;
        NameServer = "ns.dns." + Domain;
        Soa = new SoaData(NameServer, "hostmaster." + Domain, serial, 7200, 1800, 86400, ttl);
    }

    /// <summary>The cluster domain, lower-case, without the trailing dot (<c>cluster.local</c>).</summary>
    public string Domain { get; }

    public uint Ttl { get; }

    public uint Serial { get; }

    /// <summary><c>ns.dns.&lt;zone&gt;</c>: the zone's NS target, answering with the kube-dns Service's addresses.</summary>
    public string NameServer { get; }

    public SoaData Soa { get; }

    /// <summary>The suffix of a Service name: <c>svc.&lt;zone&gt;</c>.</summary>
    public string ServiceSuffix => "svc." + Domain;

    /// <summary>The suffix of a pod name: <c>pod.&lt;zone&gt;</c>.</summary>
    public string PodSuffix => "pod." + Domain;

    /// <summary>The apex whose SOA goes into negative answers for <paramref name="name"/>, or null outside our zones.</summary>
    public string? ApexOf(ReadOnlySpan<char> name) =>
        DnsName.IsAtOrBelow(name, Domain) ? Domain
        : DnsName.IsAtOrBelow(name, ReverseV4) ? ReverseV4
        : DnsName.IsAtOrBelow(name, ReverseV6) ? ReverseV6
        : null;

    public ResourceRecord SoaRecord(string apex) => new(apex, RecordType.SOA, Ttl, Soa);
}
