using Berth.ApiServer.Metrics;
using Berth.Core.Metrics;

namespace Berth.ApiServer.Tests.Metrics;

public sealed class NodeUsageTests
{
    private static readonly DateTimeOffset _t0 = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Fact]
    public void Between_RatesOverTheWindow_MemoryOfTheLaterSample()
    {
        var earlier = new ResourceSample(_t0, new UsageReading(100, 1000), [Container("a", 10, 4096), Container("b", 5, 1)]);
        var later = new ResourceSample(_t0.AddSeconds(2), new UsageReading(103, 2000), [Container("a", 11, 8192), Container("b", 5, 1)]);

        var usage = NodeUsage.Between(earlier, later)!;

        Assert.Equal(TimeSpan.FromSeconds(2), usage.Window);
        Assert.Equal(new ResourceUse(1_500_000_000, 2000), usage.Node);
        Assert.Equal("500000000n", usage.Containers[("ns", "pod", "a")].Cpu);
        Assert.Equal("8Ki", usage.Containers[("ns", "pod", "a")].Memory);
        Assert.Equal(new ResourceUse(0, 1), usage.Containers[("ns", "pod", "b")]);
    }

    [Fact]
    public void Between_RestartedOrNewContainer_HasNoRateYet()
    {
        var earlier = new ResourceSample(_t0, null, [Container("restarted", 50, 1)]);
        var later = new ResourceSample(_t0.AddSeconds(1), null, [Container("restarted", 1, 1), Container("new", 1, 1)]);

        var usage = NodeUsage.Between(earlier, later)!;

        Assert.Empty(usage.Containers);
        Assert.Null(usage.Node);
    }

    [Fact]
    public void Between_NoTimePassed_IsNull()
    {
        var sample = new ResourceSample(_t0, null, []);

        Assert.Null(NodeUsage.Between(sample, sample));
    }

    private static ContainerUsage Container(string name, double cpu, long memory) => new("ns", "pod", name, new UsageReading(cpu, memory));
}
