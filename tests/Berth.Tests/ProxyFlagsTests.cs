using System.Net;
using Berth.Cli;
using Berth.Proxy;

namespace Berth.Tests;

/// <summary>The proxy's flags of <c>berth up</c> and <c>berth agent</c> → <see cref="ProxyOptions"/>.</summary>
public sealed class ProxyFlagsTests
{
    private static readonly IPAddress _node = IPAddress.Parse("127.5.200.1");

    [Fact]
    public void Options_NoFlags_NodePortsOnTheNodeAddressAndLoopback()
    {
        var options = ProxyFlags.Options(Parse(), "node-a", _node);

        Assert.Equal("node-a", options.NodeName);
        Assert.Equal([_node, IPAddress.Loopback], options.NodePortAddresses);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ConnectTimeout);
        Assert.Equal(LoadBalancingPolicy.RoundRobin, options.LoadBalancing);
    }

    [Fact]
    public void Options_EveryFlag_Bound()
    {
        var options = ProxyFlags.Options(
            Parse("--nodeport-addresses", "127.5.200.1,127.5.200.2", "--connect-timeout", "250ms", "--proxy-load-balancing", "least-connections",
                "--proxy-sync-period", "1m", "--proxy-min-sync-period", "1s", "--proxy-udp-timeout", "2m"),
            "node-a",
            _node);

        Assert.Equal([_node, IPAddress.Parse("127.5.200.2")], options.NodePortAddresses);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ConnectTimeout);
        Assert.Equal(LoadBalancingPolicy.LeastConnections, options.LoadBalancing);
        Assert.Equal(TimeSpan.FromMinutes(1), options.SyncPeriod);
        Assert.Equal(TimeSpan.FromSeconds(1), options.MinSyncPeriod);
        Assert.Equal(TimeSpan.FromMinutes(2), options.UdpIdleTimeout);
    }

    [Theory]
    [InlineData("--proxy-load-balancing", "fastest")]
    [InlineData("--nodeport-addresses", "10.0.0.0/8")]
    [InlineData("--connect-timeout", "soon")]
    public void Options_BadValue_IsAUsageError(string flag, string value)
    {
        Assert.Throws<UsageException>(() => ProxyFlags.Options(Parse(flag, value), "node-a", _node));
    }

    private static ParsedArgs Parse(params string[] args) => new(args, ProxyFlags.Flags.ToHashSet());
}
