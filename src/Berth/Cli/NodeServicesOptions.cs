using System.Net;
using Berth.Dns;
using Berth.Proxy;

namespace Berth.Cli;

/// <summary>Settings of <see cref="NodeServices"/>, from the flags of <c>berth up</c> and <c>berth agent</c>.</summary>
internal sealed class NodeServicesOptions
{
    /// <summary>The node these services run for (the agent's node name: traffic policy Local means its endpoints).</summary>
    public required string NodeName { get; init; }

    /// <summary>The node's InternalIP (the agent's <c>--node-address</c>).</summary>
    public required IPAddress NodeAddress { get; init; }

    /// <summary><c>--metrics-addr</c>: the node's plain-HTTP metrics and health endpoint; port 0 takes a free one.</summary>
    public IPEndPoint MetricsAddress { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>The node's data directory: the bound metrics address goes to <see cref="NodeServices.AddressFile"/> there.</summary>
    public string? DataDir { get; init; }

    /// <summary>The service proxy's settings (its metrics registry is the node's).</summary>
    public required ProxyOptions Proxy { get; init; }

    /// <summary>The cluster DNS (<see cref="Flags.DnsFlags"/>); null: no DNS on this node (<c>--dns-addr none</c>).</summary>
    public ClusterDnsOptions? Dns { get; init; }
}
