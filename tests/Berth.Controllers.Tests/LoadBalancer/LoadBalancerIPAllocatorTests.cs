using Berth.Controllers.LoadBalancer;

namespace Berth.Controllers.Tests.LoadBalancer;

public sealed class LoadBalancerIPAllocatorTests
{
    [Fact]
    public void Allocate_Slash30_TwoUsableThenExhausted()
    {
        var allocator = new LoadBalancerIPAllocator("10.0.0.0/30");

        var a = allocator.Allocate("ns/a", null);
        var b = allocator.Allocate("ns/b", null);
        var c = allocator.Allocate("ns/c", null);

        Assert.Equal(2, allocator.Capacity);
        Assert.Equal("10.0.0.1", a.Address);
        Assert.Equal("10.0.0.2", b.Address);
        Assert.Equal(AllocationOutcome.Exhausted, c.Outcome);
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.255")]
    [InlineData("10.0.1.1")]
    [InlineData("fd00::1")]
    [InlineData("not-an-ip")]
    public void Allocate_RequestNotUsable_NotInPool(string requested)
    {
        var allocator = new LoadBalancerIPAllocator("10.0.0.0/24");

        var result = allocator.Allocate("ns/a", requested);

        Assert.Equal(AllocationOutcome.NotInPool, result.Outcome);
    }

    [Fact]
    public void Allocate_RequestHeldByOther_InUseNamesHolder()
    {
        var allocator = new LoadBalancerIPAllocator("10.0.0.0/24");
        allocator.Allocate("ns/a", "10.0.0.7");

        var result = allocator.Allocate("ns/b", "10.0.0.7");

        Assert.Equal(new AllocationResult(AllocationOutcome.InUse, "10.0.0.7", "ns/a"), result);
    }

    [Fact]
    public void Allocate_NewRequest_ReleasesPreviousAddress()
    {
        var allocator = new LoadBalancerIPAllocator("10.0.0.0/24");
        allocator.Allocate("ns/a", null);

        allocator.Allocate("ns/a", "10.0.0.9");
        var other = allocator.Allocate("ns/b", null);

        Assert.Equal("10.0.0.9", allocator.AddressOf("ns/a"));
        Assert.Equal("10.0.0.1", other.Address);
    }

    [Theory]
    [InlineData("fd00::/64")]
    [InlineData("10.0.0.1/24")]
    [InlineData("nonsense")]
    [InlineData("10.0.0.0")]
    public void Constructor_NotAnIPv4Cidr_Throws(string pool)
    {
        Assert.Throws<ArgumentException>(() => new LoadBalancerIPAllocator(pool));
    }
}
