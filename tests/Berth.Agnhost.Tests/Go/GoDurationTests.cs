using Berth.Agnhost.Go;

namespace Berth.Agnhost.Tests.Go;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("1s", 1_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("-2s", -2_000)]
    [InlineData("+3ms", 3)]
    [InlineData("2000us", 2)]
    [InlineData("2000µs", 2)]
    public void TryParse_GoDurations_Parsed(string text, long milliseconds)
    {
        var ok = GoDuration.TryParse(text, out var duration);

        Assert.True(ok);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("s")]
    [InlineData("1x")]
    [InlineData("1..2s")]
    [InlineData("soon")]
    public void TryParse_NotGoDurations_Rejected(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(250, "250ms")]
    public void Format_AsGoDurationString(long milliseconds, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
