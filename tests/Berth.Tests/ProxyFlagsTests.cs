using System.CommandLine;
using System.Net;
using Berth.Cli;
using Berth.Cli.Flags;
using Berth.Proxy;

namespace Berth.Tests;

/// <summary>The proxy's flags of <c>berth up</c> and <c>berth agent</c> → <see cref="ProxyOptions"/>.</summary>
public sealed class ProxyFlagsTests
{
    private static readonly IPAddress _node = IPAddress.Parse("127.5.200.1");

    [Fact]
    public void Options_NoFlags_NodePortsOnTheNodeAddressAndLoopback()
    {
        var options = Options();

        Assert.Equal("node-a", options.NodeName);
        Assert.Equal([_node, IPAddress.Loopback], options.NodePortAddresses);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ConnectTimeout);
        Assert.Equal(LoadBalancingPolicy.RoundRobin, options.LoadBalancing);
    }

    [Fact]
    public void Options_EveryFlag_Bound()
    {
        var options = Options("--nodeport-addresses", "127.5.200.1,127.5.200.2", "--connect-timeout", "250ms", "--proxy-load-balancing", "least-connections",
            "--proxy-sync-period", "1m", "--proxy-min-sync-period", "1s", "--proxy-udp-timeout", "2m");

        Assert.Equal([_node, IPAddress.Parse("127.5.200.2")], options.NodePortAddresses);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ConnectTimeout);
        Assert.Equal(LoadBalancingPolicy.LeastConnections, options.LoadBalancing);
        Assert.Equal(TimeSpan.FromMinutes(1), options.SyncPeriod);
        Assert.Equal(TimeSpan.FromSeconds(1), options.MinSyncPeriod);
        Assert.Equal(TimeSpan.FromMinutes(2), options.UdpIdleTimeout);
    }

    [Theory]
    [InlineData("--proxy-load-balancing", "fastest", "--proxy-load-balancing: not round-robin, random or least-connections: fastest")]
    [InlineData("--nodeport-addresses", "10.0.0.0/8", "--nodeport-addresses: not an IP address: 10.0.0.0/8")]
    [InlineData("--connect-timeout", "soon", "--connect-timeout: not a duration (like 40s, 1m30s, 500ms): soon")]
    public void Parse_BadValue_IsAParseErrorNamingTheFlag(string flag, string value, string message)
    {
        var (_, parsed) = Parse(flag, value);

        Assert.Equal(message, Assert.Single(parsed.Errors).Message);
    }

    [Fact]
    public void Options_MinSyncPeriodAboveSyncPeriod_IsAUsageError()
    {
        var (flags, parsed) = Parse("--proxy-sync-period", "1s", "--proxy-min-sync-period", "2s");

        Assert.Throws<UsageException>(() => flags.Options(parsed, "node-a", _node));
    }

    private static ProxyOptions Options(params string[] args)
    {
        var (flags, parsed) = Parse(args);
        Assert.Empty(parsed.Errors);
        return flags.Options(parsed, "node-a", _node);
    }

    private static (ProxyFlags Flags, ParseResult Parsed) Parse(params string[] args)
    {
        var flags = new ProxyFlags();
        var command = new FlagCommand("up", "test", "up");
        command.Add(flags.Group);
        return (flags, command.Parse(args));
    }
}
