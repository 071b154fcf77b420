using System.Text.RegularExpressions;
using Berth.Tests.Infrastructure;

namespace Berth.Tests;

public sealed partial class VersionTests
{
    [GeneratedRegex(@"^berth 0\.1\.0(\+[0-9a-f]{12})? \(Kubernetes API v1\.32\.0\+berth, \.NET 10\.[0-9.]+\)$")]
    private static partial Regex VersionLine();

    [Fact]
    public async Task Version_NamesVersionCommitAndApi()
    {
        var (exit, output) = await BerthCommand.RunAsync(TimeSpan.FromSeconds(30), "version");

        Assert.Equal(0, exit);
        Assert.Matches(VersionLine(), output.Trim());
    }
}
