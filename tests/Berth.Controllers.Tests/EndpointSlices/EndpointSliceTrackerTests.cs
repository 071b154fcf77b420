using Berth.Controllers.EndpointSlices;
using k8s.Models;

namespace Berth.Controllers.Tests.EndpointSlices;

public sealed class EndpointSliceTrackerTests
{
    private const string Key = "default/web";

    [Fact]
    public void IsStale_CacheMissingOrOlderThanWrite_True()
    {
        var tracker = new EndpointSliceTracker();

        tracker.Written(Key, Slice("web-a", "10"));

        Assert.True(tracker.IsStale(Key, []));
        Assert.True(tracker.IsStale(Key, [Slice("web-a", "9")]));
        Assert.False(tracker.IsStale(Key, [Slice("web-a", "10")]));
        Assert.False(tracker.IsStale(Key, [Slice("web-a", "11")]));
        Assert.False(tracker.IsStale("default/other", []));
    }

    [Fact]
    public void IsStale_DeletedSliceStillCached_TrueUntilDeletionSeen()
    {
        var tracker = new EndpointSliceTracker();
        var slice = Slice("web-a", "10");
        tracker.Written(Key, slice);

        tracker.ExpectDeletion(Key, slice);

        Assert.True(tracker.IsStale(Key, [slice]));
        Assert.False(tracker.IsStale(Key, []));
        Assert.False(tracker.HandleDeletion(Key, slice));
        Assert.False(tracker.IsStale(Key, []));
    }

    [Fact]
    public void ShouldSync_OwnWriteEchoed_False()
    {
        var tracker = new EndpointSliceTracker();

        tracker.Written(Key, Slice("web-a", "10"));

        Assert.False(tracker.ShouldSync(Key, Slice("web-a", "10")));
        Assert.True(tracker.ShouldSync(Key, Slice("web-a", "12")));
        Assert.True(tracker.ShouldSync(Key, Slice("web-b", "10")));
    }

    [Fact]
    public void ShouldSync_EchoWhileWaitingForCache_TrueOnce()
    {
        var tracker = new EndpointSliceTracker();
        tracker.Written(Key, Slice("web-a", "10"));

        tracker.WaitForCache(Key);

        Assert.True(tracker.ShouldSync(Key, Slice("web-a", "10")));
        Assert.False(tracker.ShouldSync(Key, Slice("web-a", "10")));
    }

    [Fact]
    public void HandleDeletion_OwnDeletionWhileWaitingForCache_True()
    {
        var tracker = new EndpointSliceTracker();
        var kept = Slice("web-a", "10");
        var deleted = Slice("web-b", "11");
        tracker.Written(Key, kept);
        tracker.Written(Key, deleted);
        tracker.ExpectDeletion(Key, deleted);

        tracker.WaitForCache(Key);

        Assert.True(tracker.HandleDeletion(Key, deleted));
        Assert.False(tracker.IsStale(Key, [kept]));
    }

    [Fact]
    public void HandleDeletion_SliceDeletedBySomeoneElse_True()
    {
        var tracker = new EndpointSliceTracker();
        var slice = Slice("web-a", "10");
        tracker.Written(Key, slice);

        var sync = tracker.HandleDeletion(Key, slice);

        Assert.True(sync);
        Assert.False(tracker.IsStale(Key, []));
    }

    private static V1EndpointSlice Slice(string name, string resourceVersion) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", ResourceVersion = resourceVersion }, AddressType = "IPv4" };
}
