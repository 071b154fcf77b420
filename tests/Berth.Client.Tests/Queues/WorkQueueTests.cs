using Berth.Client.Queues;
using Berth.Client.Tests.Infrastructure;

namespace Berth.Client.Tests.Queues;

public sealed class WorkQueueTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task GetAsync_KeysAdded_HandedOutInOrder()
    {
        var queue = NewQueue();
        queue.Add("a");
        queue.Add("b");

        var first = await queue.GetAsync(CancellationToken.None);
        var second = await queue.GetAsync(CancellationToken.None);

        Assert.Equal(("a", false), first);
        Assert.Equal(("b", false), second);
    }

    [Fact]
    public async Task Add_KeyAlreadyQueued_IsNoOp()
    {
        var queue = NewQueue();
        queue.Add("a");
        queue.Add("a");

        var (key, _) = await queue.GetAsync(CancellationToken.None);

        Assert.Equal("a", key);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Add_KeyBeingProcessed_NotHandedOutUntilDone()
    {
        var queue = NewQueue();
        queue.Add("a");
        var (key, _) = await queue.GetAsync(CancellationToken.None);

        queue.Add("a");
        queue.Add("a");
        var secondWorker = queue.GetAsync(CancellationToken.None);
        var waitingWhileProcessing = !secondWorker.IsCompleted && queue.Count == 0;
        queue.Done(key);
        var again = await secondWorker;

        Assert.True(waitingWhileProcessing);
        Assert.Equal(("a", false), again);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Done_KeyNotReAdded_IsNotQueuedAgain()
    {
        var queue = NewQueue();
        queue.Add("a");
        var (key, _) = await queue.GetAsync(CancellationToken.None);

        queue.Done(key);

        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task GetAsync_EmptyQueue_CompletesOnAdd()
    {
        var queue = NewQueue();
        var pending = queue.GetAsync(CancellationToken.None);
        var waited = !pending.IsCompleted;

        queue.Add("x");
        var result = await pending;

        Assert.True(waited);
        Assert.Equal(("x", false), result);
    }

    [Fact]
    public async Task GetAsync_WaiterCancelled_KeyGoesToNextWorker()
    {
        var queue = NewQueue();
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.GetAsync(cancel.Token).AsTask();
        var other = queue.GetAsync(CancellationToken.None);

        await cancel.CancelAsync();
        queue.Add("k");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(("k", false), await other);
    }

    [Fact]
    public async Task ShutDown_IdleWorker_ReturnsShutdown()
    {
        var queue = NewQueue();
        var pending = queue.GetAsync(CancellationToken.None);

        queue.ShutDown();
        var (_, shutdown) = await pending;

        Assert.True(shutdown);
        Assert.True(queue.IsShuttingDown);
    }

    [Fact]
    public async Task ShutDown_KeysQueued_DrainedThenShutdown()
    {
        var queue = NewQueue();
        queue.Add("a");

        queue.ShutDown();
        queue.Add("b");
        var first = await queue.GetAsync(CancellationToken.None);
        var second = await queue.GetAsync(CancellationToken.None);

        Assert.Equal(("a", false), first);
        Assert.True(second.Shutdown);
    }

    [Fact]
    public async Task AddAfter_DelayNotPassed_NotQueued()
    {
        var queue = NewQueue();

        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(9.999));
        var before = queue.Count;
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(0, before);
        Assert.Equal(1, queue.Count);
        Assert.Equal(("a", false), await queue.GetAsync(CancellationToken.None));
    }

    [Fact]
    public void AddAfter_SameKeyEarlier_FiresAtEarlierTimeOnce()
    {
        var queue = NewQueue();

        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(2));
        var atTwo = queue.Count;
        _time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(1, atTwo);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void AddAfter_SeveralKeys_FireInDueOrder()
    {
        var queue = NewQueue();

        queue.AddAfter("late", TimeSpan.FromSeconds(3));
        queue.AddAfter("early", TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        var afterOne = queue.Count;
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(1, afterOne);
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public void AddRateLimited_RepeatedFailures_DelayDoublesFromFiveMilliseconds()
    {
        var queue = NewQueue();
        var delays = new List<TimeSpan>();

        for (var i = 0; i < 4; i++)
        {
            delays.Add(DelayOfNextRateLimitedAdd(queue, "a"));
        }

        Assert.Equal([5, 10, 20, 40], delays.Select(d => d.TotalMilliseconds));
        Assert.Equal(4, queue.NumRequeues("a"));
    }

    [Fact]
    public void AddRateLimited_ManyFailures_CappedAtMaxDelay()
    {
        var queue = NewQueue();
        for (var i = 0; i < 30; i++)
        {
            queue.AddRateLimited("a"); // 5 ms * 2^29 is far past the cap
        }

        _time.Advance(TimeSpan.FromHours(1));
        Drain(queue);

        queue.AddRateLimited("a");
        _time.Advance(TimeSpan.FromSeconds(1000) - TimeSpan.FromMilliseconds(1));
        var early = queue.Count;
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(0, early);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Forget_AfterFailures_BackoffStartsOver()
    {
        var queue = NewQueue();
        DelayOfNextRateLimitedAdd(queue, "a");
        DelayOfNextRateLimitedAdd(queue, "a");

        queue.Forget("a");
        var delay = DelayOfNextRateLimitedAdd(queue, "a");

        Assert.Equal(TimeSpan.FromMilliseconds(5), delay);
        Assert.Equal(1, queue.NumRequeues("a"));
    }

    [Fact]
    public void AddRateLimited_KeysBackOffIndependently()
    {
        var queue = NewQueue();
        DelayOfNextRateLimitedAdd(queue, "a");
        DelayOfNextRateLimitedAdd(queue, "a");

        var delay = DelayOfNextRateLimitedAdd(queue, "b");

        Assert.Equal(TimeSpan.FromMilliseconds(5), delay);
    }

    private WorkQueue<string> NewQueue() => new(new WorkQueueOptions { TimeProvider = _time });

    /// <summary>Adds rate-limited and advances 1 ms at a time until the key is queued; returns the time that took (small delays only).</summary>
    private TimeSpan DelayOfNextRateLimitedAdd(WorkQueue<string> queue, string key)
    {
        var start = _time.GetUtcNow();
        queue.AddRateLimited(key);
        while (queue.Count == 0)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var elapsed = _time.GetUtcNow() - start;
        Drain(queue);
        return elapsed;
    }

    private static void Drain(WorkQueue<string> queue)
    {
        while (queue.Count > 0)
        {
            var (key, _) = queue.GetAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            queue.Done(key);
        }
    }
}
