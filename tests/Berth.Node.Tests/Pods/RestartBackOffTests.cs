using Berth.Node.Pods;

namespace Berth.Node.Tests.Pods;

public sealed class RestartBackOffTests
{
    private static readonly DateTimeOffset _t0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_DoublesUpToTheCap_AndStartsOverAfterTwiceTheCapWithoutFailure()
    {
        var backOff = new RestartBackOff(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));
        var delays = new List<TimeSpan>();
        var t = _t0;
        for (var i = 0; i < 7; i++)
        {
            backOff.Next("c", t);
            delays.Add(backOff.Get("c"));
            t += TimeSpan.FromSeconds(1);
        }

        backOff.Next("c", t + TimeSpan.FromMinutes(11));

        Assert.Equal([10, 20, 40, 80, 160, 300, 300], delays.Select(d => (int)d.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(10), backOff.Get("c"));
    }

    [Fact]
    public void InBackOffSince_CountsFromTheContainersFinish()
    {
        var backOff = new RestartBackOff(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

        Assert.Null(backOff.InBackOffSince("c", _t0, _t0));
        backOff.Next("c", _t0);

        var finished = _t0 + TimeSpan.FromSeconds(3);
        Assert.Equal(finished + TimeSpan.FromSeconds(10), backOff.InBackOffSince("c", finished, finished + TimeSpan.FromSeconds(1)));
        Assert.Null(backOff.InBackOffSince("c", finished, finished + TimeSpan.FromSeconds(10)));
    }
}
