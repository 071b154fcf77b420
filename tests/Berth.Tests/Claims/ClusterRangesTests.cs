using Berth.Claims;

namespace Berth.Tests.Claims;

public sealed class ClusterRangesTests
{
    private static MachineClaim Held(int pid, ClusterRanges ranges, bool withNode = true) =>
        new(pid, "/data/" + pid, [.. ranges.Claimed(withNode)], withNode ? ["node " + ranges.NodeName] : []);

    [Fact]
    public void Choose_NothingHeld_TakesTheDefaultPlan()
    {
        var (ranges, note) = ClusterRanges.Choose(new ClusterRanges(), withNode: true, "box", []);

        Assert.Equal(new ClusterRanges("127.96.0.0/12", "127.244.0.0/16", "127.200.0.0/24", "127.0.0.1", "box"), ranges);
        Assert.Null(note);
    }

    [Fact]
    public void Choose_DefaultsHeld_TakesTheFirstFreeSlotAndSaysWhy()
    {
        var live = new[] { Held(11, ClusterRanges.Slot(0, "box")), Held(12, ClusterRanges.Slot(1, "box")) };

        var (ranges, note) = ClusterRanges.Choose(new ClusterRanges(), withNode: true, "box", live);

        Assert.Equal(new ClusterRanges("127.2.0.0/20", "127.2.64.0/18", "127.2.128.0/24", "127.2.200.1", "box-2"), ranges);
        Assert.Equal(
            "service CIDR 127.96.0.0/12 is held by another berth (pid 11, data directory /data/11); this cluster uses service CIDR 127.2.0.0/20, "
            + "pod CIDR 127.2.64.0/18, load-balancer pool 127.2.128.0/24, node address 127.2.200.1, node name box-2",
            note);
    }

    [Fact]
    public void Choose_PinnedRangeOverlapsAHeldOne_Throws()
    {
        var live = new[] { Held(11, ClusterRanges.Slot(0, "box")) };

        var e = Assert.Throws<ClaimException>(() => ClusterRanges.Choose(new ClusterRanges(ClusterCidr: "127.244.7.0/24"), withNode: true, "box", live));

        Assert.Equal("pod CIDR 127.244.7.0/24 is held by another berth (pid 11, data directory /data/11); stop it, or choose another --cluster-cidr", e.Message);
    }

    [Fact]
    public void Choose_PinnedFieldsKept_OthersFromTheFreeSlot()
    {
        var live = new[] { Held(11, ClusterRanges.Slot(0, "box")) };

        var (ranges, _) = ClusterRanges.Choose(new ClusterRanges(ServiceCidr: "127.50.0.0/16"), withNode: true, "box", live);

        Assert.Equal(new ClusterRanges("127.50.0.0/16", "127.1.64.0/18", "127.1.128.0/24", "127.1.200.1", "box-1"), ranges);
    }

    [Fact]
    public void Choose_ServerWithoutNode_IgnoresNodeAddressesAndNames()
    {
        var live = new[] { Held(11, new ClusterRanges("127.1.0.0/20", "127.1.64.0/18", "127.1.128.0/24", "127.0.0.1", "box")) };

        var (ranges, note) = ClusterRanges.Choose(new ClusterRanges(), withNode: false, "box", live);

        Assert.Equal("127.96.0.0/12", ranges.ServiceCidr);
        Assert.Null(note);
    }

    [Fact]
    public void Choose_NodeNameHeld_IsAClash()
    {
        var live = new[] { Held(11, new ClusterRanges("127.1.0.0/20", "127.1.64.0/18", "127.1.128.0/24", "127.1.200.1", "box")) };

        var e = Assert.Throws<ClaimException>(() => ClusterRanges.Choose(new ClusterRanges(NodeName: "box"), withNode: true, "box", live));

        Assert.StartsWith("node name box is held by another berth (pid 11", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveAndLoad_RoundTrip()
    {
        var dir = Directory.CreateTempSubdirectory("berth-ranges-").FullName;
        try
        {
            var ranges = ClusterRanges.Slot(3, "box") with { NodeName = null };

            ranges.Save(dir);

            Assert.Equal(ranges, ClusterRanges.Load(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
