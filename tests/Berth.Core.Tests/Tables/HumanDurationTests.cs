using Berth.Core.Tables;

namespace Berth.Core.Tests.Tables;

public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(-3, "<invalid>")]
    [InlineData(-1.5, "0s")]
    [InlineData(0, "0s")]
    [InlineData(45, "45s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(310, "5m10s")]
    [InlineData(599, "9m59s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 - 1, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(3 * 3600 + 4 * 60, "3h4m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(47 * 3600, "47h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(76 * 3600, "3d4h")]
    [InlineData(8 * 86400, "8d")]
    [InlineData(729 * 86400, "729d")]
    [InlineData(730 * 86400, "2y")]
    [InlineData(760 * 86400, "2y30d")]
    [InlineData(8 * 365 * 86400, "8y")]
    public void Format_Thresholds_MatchKubernetes(double seconds, string expected)
    {
        var formatted = HumanDuration.Format(TimeSpan.FromSeconds(seconds));

        Assert.Equal(expected, formatted);
    }

    [Fact]
    public void Since_Unset_IsUnknown()
    {
        Assert.Equal("<unknown>", HumanDuration.Since(null, DateTimeOffset.UnixEpoch));
        Assert.Equal("<unknown>", HumanDuration.Since(default(DateTime), DateTimeOffset.UnixEpoch));
    }
}
