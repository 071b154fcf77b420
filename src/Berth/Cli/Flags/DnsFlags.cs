using System.CommandLine;
using System.Globalization;
using System.Net;
using Berth.Dns;
using Berth.Node;

namespace Berth.Cli.Flags;

/// <summary>The cluster DNS flags of <c>berth up</c> and <c>berth agent</c>.</summary>
internal sealed class DnsFlags
{
    private readonly Option<string?> _address = Flag.Text("--dns-addr", "IP[:PORT]|none", "where the DNS listens, UDP and TCP (default: the kube-dns Service's ClusterIP, port 53 — which needs root or `sysctl net.ipv4.ip_unprivileged_port_start=53`); none: no DNS");
    private readonly Option<string[]> _upstreams = Flag.Texts("--dns-upstream", "IP[:PORT]", "resolver for names outside the cluster zone (repeatable; default: --resolv-conf's)");
    private readonly Option<string?> _ttl = Flag.Text("--dns-ttl", "SECONDS", "TTL of cluster records and of negative answers (default 5; 5s, 1m also work)");
    private readonly Option<IPNetwork[]> _allow = Flag.Cidrs("--dns-allow", "also answer clients in CIDR (repeatable; default: loopback and the Nodes' pod CIDRs; 0.0.0.0/0 answers anyone — an open resolver)");

    public DnsFlags()
    {
        _address.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: var text }] && text != "none" && Endpoint(text) is null)
            {
                result.AddError($"--dns-addr: not IP, IP:PORT or none: {text}");
            }
        });
        _upstreams.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => Endpoint(t.Value) is null))
            {
                result.AddError($"--dns-upstream: not IP or IP:PORT: {token.Value}");
            }
        });
        _ttl.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: var text }] && Ttl(text) is null)
            {
                result.AddError($"--dns-ttl: not seconds or a duration: {text}");
            }
        });
        Group = new FlagGroup("flags of the cluster DNS server (it serves --cluster-domain)", [_address, _upstreams, _ttl, _allow]);
    }

    public FlagGroup Group { get; }

    /// <summary>The DNS options for the node <paramref name="agent"/> describes (its domain and resolv.conf), or null for <c>--dns-addr none</c>.</summary>
    public ClusterDnsOptions? Options(ParseResult parsed, NodeAgentOptions agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var options = new ClusterDnsOptions { ClusterDomain = agent.ClusterDomain, ResolvConfPath = agent.ResolvConf };
        if (parsed.GetValue(_address) is { } address)
        {
            if (address == "none")
            {
                return null;
            }

            options.Address = Endpoint(address);
        }

        foreach (var upstream in parsed.GetValue(_upstreams) ?? [])
        {
            options.Upstreams.Add(Endpoint(upstream)!);
        }

        if (parsed.GetValue(_ttl) is { } ttl)
        {
            options.Ttl = Ttl(ttl)!.Value;
        }

        foreach (var network in parsed.GetValue(_allow) ?? [])
        {
            options.AllowedNetworks.Add(network);
        }

        Usage.Check(options.Validate);
        return options;
    }

    /// <summary>IP (port 53) or IP:PORT.</summary>
    private static IPEndPoint? Endpoint(string text) =>
        IPEndPoint.TryParse(text, out var endpoint)
            ? endpoint.Port == 0 && !text.Contains(':', StringComparison.Ordinal) ? new IPEndPoint(endpoint.Address, 53) : endpoint
            : null;

    private static TimeSpan? Ttl(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : GoDuration.TryParse(text);
}
