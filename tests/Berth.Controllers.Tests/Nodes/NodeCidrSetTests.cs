using Berth.Controllers.Nodes;

namespace Berth.Controllers.Tests.Nodes;

public sealed class NodeCidrSetTests
{
    [Fact]
    public void AllocateNext_HostModeDefaults_HandsOutConsecutiveSlash24s()
    {
        var set = NodeCidrSet.Create("127.244.0.0/16", 24);

        var first = set.AllocateNext();
        var second = set.AllocateNext();

        Assert.Equal("127.244.0.0/24", first);
        Assert.Equal("127.244.1.0/24", second);
        Assert.Equal(256, set.Capacity);
        Assert.Equal(2, set.Allocated);
    }

    [Fact]
    public void AllocateNext_Exhausted_ReturnsNullUntilOneIsReleased()
    {
        var set = NodeCidrSet.Create("10.0.0.0/24", 25);
        var a = set.AllocateNext();
        var b = set.AllocateNext();

        var none = set.AllocateNext();
        set.Release(a!);
        var again = set.AllocateNext();

        Assert.Equal("10.0.0.128/25", b);
        Assert.Null(none);
        Assert.Equal(a, again);
    }

    [Fact]
    public void AllocateNext_AfterRelease_ContinuesRoundRobinBeforeReusing()
    {
        var set = NodeCidrSet.Create("10.0.0.0/22", 24);
        var a = set.AllocateNext();
        set.AllocateNext();

        set.Release(a!);
        var next = set.AllocateNext();

        Assert.Equal("10.0.2.0/24", next);
    }

    [Fact]
    public void Occupy_ExistingCidrs_AreSkipped()
    {
        var set = NodeCidrSet.Create("10.0.0.0/22", 24);

        Assert.True(set.Occupy("10.0.0.0/24"));
        Assert.True(set.Occupy("10.0.1.0/25"));
        var next = set.AllocateNext();

        Assert.Equal("10.0.2.0/24", next);
    }

    [Fact]
    public void Occupy_LargerCidr_TakesEverySubnetItCovers()
    {
        var set = NodeCidrSet.Create("10.0.0.0/22", 24);

        Assert.True(set.Occupy("10.0.0.0/23"));

        Assert.Equal(2, set.Allocated);
        Assert.Equal("10.0.2.0/24", set.AllocateNext());
    }

    [Fact]
    public void Occupy_OutsideTheClusterCidrOrGarbage_ReturnsFalse()
    {
        var set = NodeCidrSet.Create("10.0.0.0/22", 24);

        Assert.False(set.Occupy("10.1.0.0/24"));
        Assert.False(set.Occupy("fd00::/64"));
        Assert.False(set.Occupy("nonsense"));
        Assert.Equal(0, set.Allocated);
    }

    [Fact]
    public void AllocateNext_IPv6_Works()
    {
        var set = NodeCidrSet.Create("fd00:10:244::/56", 64);

        Assert.Equal("fd00:10:244::/64", set.AllocateNext());
        Assert.Equal("fd00:10:244:1::/64", set.AllocateNext());
    }

    [Theory]
    [InlineData("127.244.0.0/16", 8)]
    [InlineData("127.244.0.0/16", 33)]
    [InlineData("10.0.0.0/8", 25)]
    [InlineData("127.244.0.1/16", 24)]
    [InlineData("not-a-cidr", 24)]
    public void Create_BadSettings_Throws(string cidr, int mask)
    {
        Assert.Throws<ArgumentException>(() => NodeCidrSet.Create(cidr, mask));
    }
}
