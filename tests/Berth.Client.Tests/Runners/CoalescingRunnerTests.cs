using System.Threading.Channels;
using Berth.Client.Runners;
using Berth.Client.Tests.Infrastructure;

namespace Berth.Client.Tests.Runners;

public sealed class CoalescingRunnerTests : IAsyncDisposable
{
    private static readonly TimeSpan _minInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan _maxInterval = TimeSpan.FromSeconds(30);

    private readonly ManualTimeProvider _time = new();
    private readonly Channel<DateTimeOffset> _runs = Channel.CreateUnbounded<DateTimeOffset>();
    private readonly CancellationTokenSource _stop = new();
    private readonly DateTimeOffset _start;
    private Func<Task> _body = () => Task.CompletedTask;
    private Task _loop = Task.CompletedTask;

    public CoalescingRunnerTests()
    {
        _start = _time.GetUtcNow();
    }

    [Fact]
    public async Task Run_FirstRequest_RunsAtOnce()
    {
        var runner = Start();

        runner.Run();
        var ran = await NextRunAsync();

        Assert.Equal(_start, ran);
    }

    [Fact]
    public async Task Run_WithinMinInterval_WaitsForMinInterval()
    {
        var runner = Start();
        runner.Run();
        await NextRunAsync();

        runner.Run();
        await _time.WhenTimerArmedAsync(_start + _minInterval);
        _time.Advance(_minInterval - TimeSpan.FromMilliseconds(1));
        var early = _runs.Reader.TryRead(out _);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var ran = await NextRunAsync();

        Assert.False(early);
        Assert.Equal(_start + _minInterval, ran);
    }

    [Fact]
    public async Task Run_ManyRequestsBetweenRuns_CoalesceIntoOneRun()
    {
        var runner = Start();
        runner.Run();
        await NextRunAsync();

        for (var i = 0; i < 10; i++)
        {
            runner.Run();
        }

        await _time.WhenTimerArmedAsync(_start + _minInterval);
        _time.Advance(_minInterval);
        var second = await NextRunAsync();
        await _time.WhenTimerArmedAsync(second + _maxInterval);
        var third = _runs.Reader.TryRead(out _);

        Assert.Equal(_start + _minInterval, second);
        Assert.False(third);
    }

    [Fact]
    public async Task Run_RequestDuringRun_RunsOnceMoreAfterMinInterval()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        _body = () => Interlocked.Increment(ref calls) == 1 ? release.Task : Task.CompletedTask;
        var runner = Start();
        runner.Run();
        await NextRunAsync();

        runner.Run();
        runner.Run();
        release.SetResult();
        await _time.WhenTimerArmedAsync(_start + _minInterval);
        _time.Advance(_minInterval);
        var second = await NextRunAsync();

        Assert.Equal(_start + _minInterval, second);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task LoopAsync_NoRequests_RunsEveryMaxInterval()
    {
        Start();
        await _time.WhenTimerArmedAsync(_start + _maxInterval);

        _time.Advance(_maxInterval);
        var first = await NextRunAsync();
        await _time.WhenTimerArmedAsync(first + _maxInterval);
        _time.Advance(_maxInterval);
        var second = await NextRunAsync();

        Assert.Equal(_start + _maxInterval, first);
        Assert.Equal(_start + _maxInterval + _maxInterval, second);
    }

    [Fact]
    public async Task RetryAfter_AfterRun_RunsAgainAfterDelay()
    {
        var runner = Start();
        runner.Run();
        await NextRunAsync();

        runner.RetryAfter(TimeSpan.FromSeconds(5));
        await _time.WhenTimerArmedAsync(_start + TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(5));
        var retried = await NextRunAsync();

        Assert.Equal(_start + TimeSpan.FromSeconds(5), retried);
    }

    [Fact]
    public async Task RetryAfter_ShorterThanMinInterval_WaitsForMinInterval()
    {
        var runner = Start();
        runner.Run();
        await NextRunAsync();

        runner.RetryAfter(TimeSpan.FromMilliseconds(10));
        await _time.WhenTimerArmedAsync(_start + _minInterval);
        _time.Advance(_minInterval);
        var retried = await NextRunAsync();

        Assert.Equal(_start + _minInterval, retried);
    }

    [Fact]
    public async Task LoopAsync_ActionThrows_RetriedAfterErrorRetryInterval()
    {
        var calls = 0;
        _body = () => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("boom") : Task.CompletedTask;
        var runner = Start();
        runner.Run();
        await NextRunAsync();

        await _time.WhenTimerArmedAsync(_start + TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(2));
        var retried = await NextRunAsync();

        Assert.Equal(_start + TimeSpan.FromSeconds(2), retried);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private CoalescingRunner Start()
    {
        var runner = new CoalescingRunner(
            async _ =>
            {
                await _runs.Writer.WriteAsync(_time.GetUtcNow());
                await _body();
            },
            new CoalescingRunnerOptions
            {
                MinInterval = _minInterval,
                MaxInterval = _maxInterval,
                ErrorRetryInterval = TimeSpan.FromSeconds(2),
                TimeProvider = _time,
            });
        _loop = runner.LoopAsync(_stop.Token);
        return runner;
    }

    private async Task<DateTimeOffset> NextRunAsync() =>
        await _runs.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
}
