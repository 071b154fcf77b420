using System.Globalization;
using System.Net;
using Berth.Dns;

namespace Berth.Cli;

/// <summary>The cluster DNS flags of <c>berth up</c> and <c>berth agent</c>.</summary>
internal static class DnsFlags
{
    /// <summary>The DNS server's own flags; it also reads the agent's <c>--cluster-domain</c> and <c>--resolv-conf</c>.</summary>
    public static readonly string[] Flags = ["dns-addr", "dns-upstream", "dns-ttl", "dns-allow"];

    public const string Usage = """
        flags of the cluster DNS server (up, agent; it serves --cluster-domain):
          --dns-addr IP[:PORT]      where the DNS listens, UDP and TCP (default: the kube-dns Service's ClusterIP, port 53;
                                    port 53 needs root or `sysctl net.ipv4.ip_unprivileged_port_start=53`); none: no DNS
          --dns-upstream IP[:PORT]  resolver for names outside the cluster zone (repeatable; default: --resolv-conf's)
          --dns-ttl SECONDS         TTL of cluster records and of negative answers (default 5; 5s, 1m also work)
          --dns-allow CIDR          also answer clients in CIDR (repeatable; default: loopback and the Nodes' pod CIDRs;
                                    0.0.0.0/0 answers anyone — an open resolver)
        """;

    /// <summary>The DNS options from <paramref name="parsed"/>, or null for <c>--dns-addr none</c>.</summary>
    public static ClusterDnsOptions? Options(ParsedArgs parsed)
    {
        var options = new ClusterDnsOptions();
        if (parsed.Get("dns-addr") is { } address)
        {
            if (address == "none")
            {
                return null;
            }

            options.Address = Endpoint("dns-addr", address);
        }

        options.ClusterDomain = parsed.Get("cluster-domain")?.TrimEnd('.') ?? options.ClusterDomain;
        options.ResolvConfPath = parsed.Get("resolv-conf") ?? options.ResolvConfPath;
        foreach (var upstream in parsed.GetAll("dns-upstream"))
        {
            options.Upstreams.Add(Endpoint("dns-upstream", upstream));
        }

        if (parsed.Get("dns-ttl") is { } ttl)
        {
            options.Ttl = int.TryParse(ttl, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : GoDuration.Parse("dns-ttl", ttl);
        }

        foreach (var cidr in parsed.GetAll("dns-allow"))
        {
            options.AllowedNetworks.Add(IPNetwork.TryParse(cidr, out var network) ? network : throw new UsageException($"--dns-allow: not a CIDR: {cidr}"));
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        return options;
    }

    /// <summary>What <c>berth up</c> prints about the DNS: where it is, and how to use it from the host (it never changes the host's resolver).</summary>
    public static IEnumerable<string> Describe(ClusterDns dns)
    {
        if (dns.Endpoints is not [var endpoint, ..])
        {
            yield return "berth: cluster DNS is not listening (see the log above)";
            yield break;
        }

        var port = endpoint.Port == 53 ? "" : $" -p {endpoint.Port}";
        yield return $"berth: cluster DNS on {endpoint} (UDP, TCP) for {dns.ClusterDomain}; try  dig @{endpoint.Address}{port} kubernetes.default.svc.{dns.ClusterDomain}";
        yield return $"berth: to resolve {dns.ClusterDomain} names from this machine's shell (berth does not change its resolver): "
            + $"with systemd-resolved  resolvectl dns <link> {endpoint.Address} && resolvectl domain <link> '~{dns.ClusterDomain}'; otherwise add  nameserver {endpoint.Address}  to /etc/resolv.conf";
    }

    private static IPEndPoint Endpoint(string flag, string text) =>
        IPEndPoint.TryParse(text, out var endpoint)
            ? endpoint.Port == 0 && !text.Contains(':', StringComparison.Ordinal) ? new IPEndPoint(endpoint.Address, 53) : endpoint
            : throw new UsageException($"--{flag}: not IP or IP:PORT: {text}");
}
