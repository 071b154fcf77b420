using System.Net;
using Berth.Node.Networking;

namespace Berth.Node.Tests.Networking;

public sealed class PodIpamTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Allocate_SkipsNetworkGatewayAndBroadcast_AndNeverGivesOneAddressTwice()
    {
        var ipam = new PodIpam("127.244.7.0/29", TimeSpan.FromMinutes(1), _time);

        var given = Enumerable.Range(0, 6).Select(i => ipam.Allocate("pod" + i)).ToList();

        Assert.Equal(["127.244.7.2", "127.244.7.3", "127.244.7.4", "127.244.7.5", "127.244.7.6", null], given.Select(a => a?.ToString()));
        Assert.Equal(5, ipam.Capacity);
        Assert.Equal(IPAddress.Parse("127.244.7.2"), ipam.Allocate("pod0"));
    }

    [Fact]
    public void Release_QuarantinesTheAddress_AndTheLeastRecentlyReleasedComesBackFirst()
    {
        var ipam = new PodIpam("127.244.7.0/29", TimeSpan.FromSeconds(30), _time);
        for (var i = 0; i < 5; i++)
        {
            ipam.Allocate("pod" + i);
        }

        ipam.Release("pod3");
        _time.Advance(TimeSpan.FromSeconds(10));
        ipam.Release("pod1");

        Assert.Null(ipam.Allocate("a"));
        _time.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal("127.244.7.5", ipam.Allocate("a")?.ToString());
        Assert.Null(ipam.Allocate("b"));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("127.244.7.3", ipam.Allocate("b")?.ToString());
    }

    [Fact]
    public void Reserve_RelearnsAddresses_WhichAreThenNotAllocatedAgain()
    {
        var ipam = new PodIpam("127.244.7.0/24", TimeSpan.Zero, _time);

        Assert.True(ipam.Reserve(IPAddress.Parse("127.244.7.2"), "old"));
        Assert.False(ipam.Reserve(IPAddress.Parse("127.244.7.2"), "other"));
        Assert.False(ipam.Reserve(IPAddress.Parse("127.244.8.2"), "outside"));
        Assert.False(ipam.Reserve(IPAddress.Parse("127.244.7.1"), "gateway"));

        Assert.Equal("127.244.7.3", ipam.Allocate("new")?.ToString());
        Assert.Equal("127.244.7.2", ipam.Find("old")?.ToString());
    }

    [Fact]
    public void Allocate_SameIdentityAfterRelease_GetsItsAddressBackDespiteQuarantine()
    {
        var ipam = new PodIpam("127.244.7.0/29", TimeSpan.FromMinutes(5), _time);
        ipam.Allocate("uid-a", "default/web-0");
        var web1 = ipam.Allocate("uid-b", "default/web-1");
        ipam.Allocate("uid-c");

        ipam.Release("uid-b");
        var other = ipam.Allocate("uid-d");
        var again = ipam.Allocate("uid-e", "default/web-1");

        Assert.Equal("127.244.7.3", web1?.ToString());
        Assert.Equal("127.244.7.5", other?.ToString());
        Assert.Equal(web1, again);
    }

    [Fact]
    public void Allocate_IdentityWhoseAddressWasTaken_GetsAnotherAndTheReleaseOrderHolds()
    {
        var ipam = new PodIpam("127.244.7.0/29", TimeSpan.Zero, _time);
        for (var i = 0; i < 5; i++)
        {
            ipam.Allocate("pod" + i, i == 1 ? "default/web-1" : null);
        }

        ipam.Release("pod1");
        var stranger = ipam.Allocate("x");
        ipam.Release("pod2");
        var member = ipam.Allocate("pod1-again", "default/web-1");

        Assert.Equal("127.244.7.3", stranger?.ToString());
        Assert.Equal("127.244.7.4", member?.ToString());
    }
}
