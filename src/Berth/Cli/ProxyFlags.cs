using System.Net;
using Berth.Proxy;

namespace Berth.Cli;

/// <summary>The service proxy's flags, shared by <c>berth up</c> and <c>berth agent</c>.</summary>
internal static class ProxyFlags
{
    public static readonly string[] Flags = ["nodeport-addresses", "connect-timeout", "proxy-load-balancing", "proxy-sync-period", "proxy-min-sync-period", "proxy-udp-timeout"];

    public const string Usage = """
        flags of the service proxy (up, agent):
          --nodeport-addresses IP[,IP...]  where NodePorts listen (default: the node address and 127.0.0.1)
          --connect-timeout D     a connect to an endpoint that takes longer moves on to the next endpoint (default 1s)
          --proxy-load-balancing P  round-robin (default), random or least-connections, for Services without the
                                  proxy.berth.dev/load-balancing annotation
          --proxy-sync-period D   full resync of Services and listeners (default 30s)
          --proxy-min-sync-period D  least time between two syncs (default 10ms)
          --proxy-udp-timeout D   a UDP flow idle this long ends (default 30s)
        """;

    /// <summary>The proxy's options for the node <paramref name="nodeName"/> whose InternalIP is <paramref name="nodeAddress"/>.</summary>
    public static ProxyOptions Options(ParsedArgs parsed, string nodeName, IPAddress nodeAddress)
    {
        var options = new ProxyOptions { NodeName = nodeName };
        var addresses = parsed.GetAll("nodeport-addresses").SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        foreach (var address in addresses)
        {
            options.NodePortAddresses.Add(IPAddress.TryParse(address, out var ip) ? ip : throw new UsageException($"--nodeport-addresses: not an IP address: {address}"));
        }

        if (addresses.Count == 0)
        {
            options.NodePortAddresses.Add(nodeAddress);
            if (!nodeAddress.Equals(IPAddress.Loopback))
            {
                options.NodePortAddresses.Add(IPAddress.Loopback);
            }
        }

        if (parsed.Get("connect-timeout") is { } timeout)
        {
            options.ConnectTimeout = GoDuration.Parse("connect-timeout", timeout);
        }

        if (parsed.Get("proxy-load-balancing") is { } policy)
        {
            options.LoadBalancing = policy switch
            {
                "round-robin" => LoadBalancingPolicy.RoundRobin,
                "random" => LoadBalancingPolicy.Random,
                "least-connections" => LoadBalancingPolicy.LeastConnections,
                _ => throw new UsageException($"--proxy-load-balancing: round-robin, random or least-connections, not {policy}"),
            };
        }

        if (parsed.Get("proxy-sync-period") is { } period)
        {
            options.SyncPeriod = GoDuration.Parse("proxy-sync-period", period);
        }

        if (parsed.Get("proxy-min-sync-period") is { } minPeriod)
        {
            options.MinSyncPeriod = GoDuration.Parse("proxy-min-sync-period", minPeriod);
        }

        if (parsed.Get("proxy-udp-timeout") is { } udp)
        {
            options.UdpIdleTimeout = GoDuration.Parse("proxy-udp-timeout", udp);
        }

        options.Validate();
        return options;
    }
}
