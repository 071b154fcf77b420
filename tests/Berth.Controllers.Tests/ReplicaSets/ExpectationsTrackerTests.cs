using Berth.Controllers.ReplicaSets;

namespace Berth.Controllers.Tests.ReplicaSets;

public sealed class ExpectationsTrackerTests
{
    [Fact]
    public void IsSatisfied_CreatesOutstanding_FalseUntilAllObserved()
    {
        var tracker = new ExpectationsTracker(new ManualTime());
        tracker.ExpectCreations("ns/rs", 2);

        tracker.CreationObserved("ns/rs");

        Assert.False(tracker.IsSatisfied("ns/rs"));
        tracker.CreationObserved("ns/rs");
        Assert.True(tracker.IsSatisfied("ns/rs"));
    }

    [Fact]
    public void DeletionObserved_SamePodTwice_CountsOnce()
    {
        var tracker = new ExpectationsTracker(new ManualTime());
        tracker.ExpectDeletions("ns/rs", ["ns/a", "ns/b"]);

        tracker.DeletionObserved("ns/rs", "ns/a");
        tracker.DeletionObserved("ns/rs", "ns/a");

        Assert.False(tracker.IsSatisfied("ns/rs"));
    }

    [Fact]
    public void IsSatisfied_AfterTtl_True()
    {
        var time = new ManualTime();
        var tracker = new ExpectationsTracker(time);
        tracker.ExpectCreations("ns/rs", 3);

        time.Now += ExpectationsTracker.Ttl + TimeSpan.FromSeconds(1);

        Assert.True(tracker.IsSatisfied("ns/rs"));
    }

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
