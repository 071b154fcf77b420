using System.CommandLine;
using System.Net;
using Berth.Proxy;

namespace Berth.Cli.Flags;

/// <summary>The service proxy's flags, shared by <c>berth up</c> and <c>berth agent</c>.</summary>
internal sealed class ProxyFlags
{
    private readonly Option<IPAddress[]> _nodePortAddresses = Flag.Addresses("--nodeport-addresses", "IP[,IP...]", "where NodePorts listen (default: the node address and 127.0.0.1)");
    private readonly Option<TimeSpan?> _connectTimeout = Flag.Duration("--connect-timeout", "a connect to an endpoint that takes longer moves on to the next endpoint (default 1s)");
    private readonly Option<string?> _loadBalancing = Flag.Choice("--proxy-load-balancing", "POLICY", "round-robin (default), random or least-connections, for Services without the proxy.berth.dev/load-balancing annotation", "round-robin", "random", "least-connections");
    private readonly Option<TimeSpan?> _syncPeriod = Flag.Duration("--proxy-sync-period", "full resync of Services and listeners (default 30s)");
    private readonly Option<TimeSpan?> _minSyncPeriod = Flag.Duration("--proxy-min-sync-period", "least time between two syncs (default 10ms)");
    private readonly Option<TimeSpan?> _udpTimeout = Flag.Duration("--proxy-udp-timeout", "a UDP flow idle this long ends (default 30s)");

    public ProxyFlags()
    {
        Group = new FlagGroup("flags of the service proxy", [_nodePortAddresses, _connectTimeout, _loadBalancing, _syncPeriod, _minSyncPeriod, _udpTimeout]);
    }

    public FlagGroup Group { get; }

    /// <summary>The proxy's options for the node <paramref name="nodeName"/> whose InternalIP is <paramref name="nodeAddress"/>.</summary>
    public ProxyOptions Options(ParseResult parsed, string nodeName, IPAddress nodeAddress)
    {
        ArgumentNullException.ThrowIfNull(nodeAddress);
        var options = new ProxyOptions { NodeName = nodeName };
        var addresses = parsed.GetValue(_nodePortAddresses) ?? [];
        foreach (var address in addresses)
        {
            options.NodePortAddresses.Add(address);
        }

        if (addresses.Length == 0)
        {
            options.NodePortAddresses.Add(nodeAddress);
            if (!nodeAddress.Equals(IPAddress.Loopback))
            {
                options.NodePortAddresses.Add(IPAddress.Loopback);
            }
        }

        options.ConnectTimeout = parsed.GetValue(_connectTimeout) ?? options.ConnectTimeout;
        options.LoadBalancing = parsed.GetValue(_loadBalancing) switch
        {
            "random" => LoadBalancingPolicy.Random,
            "least-connections" => LoadBalancingPolicy.LeastConnections,
            "round-robin" => LoadBalancingPolicy.RoundRobin,
            _ => options.LoadBalancing,
        };
        options.SyncPeriod = parsed.GetValue(_syncPeriod) ?? options.SyncPeriod;
        options.MinSyncPeriod = parsed.GetValue(_minSyncPeriod) ?? options.MinSyncPeriod;
        options.UdpIdleTimeout = parsed.GetValue(_udpTimeout) ?? options.UdpIdleTimeout;
        Usage.Check(options.Validate);
        return options;
    }
}
