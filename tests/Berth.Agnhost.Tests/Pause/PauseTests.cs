using System.Runtime.InteropServices;
using Berth.Agnhost.Tests.Infrastructure;

namespace Berth.Agnhost.Tests.Pause;

public sealed class PauseTests
{
    [Theory]
    [InlineData(PosixSignal.SIGTERM, 2)]
    [InlineData(PosixSignal.SIGINT, 1)]
    public async Task Signal_ExitsWithUpstreamCode(PosixSignal signal, int expected)
    {
        await using var agnhost = await RunningAgnhost.StartAsync(["pause"], []);
        await WaitForAsync(() => agnhost.Stdout.Contains("Paused", StringComparison.Ordinal));

        agnhost.Signals.Raise(signal);
        var code = await agnhost.Exit.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(expected, code);
        Assert.Equal($"Paused\nexiting {expected}\n", agnhost.Stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task NoArguments_RunsImageDefaultPause()
    {
        await using var agnhost = await RunningAgnhost.StartAsync([], []);
        await WaitForAsync(() => agnhost.Stdout.Contains("Paused", StringComparison.Ordinal));

        agnhost.Signals.Raise(PosixSignal.SIGTERM);

        Assert.Equal(2, await agnhost.Exit.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task DelayShutdown_WaitsBeforeExit()
    {
        var time = new ManualTimeProvider();
        await using var agnhost = await RunningAgnhost.StartAsync(["pause", "--delay-shutdown=5"], [], time);
        await WaitForAsync(() => agnhost.Stdout.Contains("Paused", StringComparison.Ordinal));

        agnhost.Signals.Raise(PosixSignal.SIGTERM);
        await time.WhenTimerArmedAsync(time.GetUtcNow().AddSeconds(5));
        var endedEarly = agnhost.Exit.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(endedEarly);
        Assert.Equal(2, await agnhost.Exit.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("Sleeping 5 seconds before exit ...exiting 2", agnhost.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_ReturnsZero()
    {
        var agnhost = await RunningAgnhost.StartAsync(["pause"], []);
        await WaitForAsync(() => agnhost.Stdout.Contains("Paused", StringComparison.Ordinal));

        await agnhost.DisposeAsync();

        Assert.Equal(0, await agnhost.Exit);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 10 s");
            await Task.Delay(5);
        }
    }
}
