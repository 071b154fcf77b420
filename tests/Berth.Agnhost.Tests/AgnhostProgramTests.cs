using Berth.Agnhost.Tests.Infrastructure;

namespace Berth.Agnhost.Tests;

public sealed class AgnhostProgramTests
{
    [Theory]
    [InlineData(new[] { "frobnicate" }, "Error: unknown command \"frobnicate\" for \"app\"")]
    [InlineData(new[] { "netexec", "--no-such-flag" }, "Error: unknown flag: --no-such-flag")]
    [InlineData(new[] { "netexec", "extra" }, "Error: accepts at most 0 arg(s), received 1")]
    [InlineData(new[] { "netexec", "--http-port=eighty" }, "Error: invalid argument \"eighty\" for \"--http-port\" flag: strconv.ParseInt: parsing \"eighty\": invalid syntax")]
    [InlineData(new[] { "serve-hostname", "-port=1" }, "Error: unknown shorthand flag: 'p' in -port=1")]
    public async Task BadCommandLine_ExitsOneWithCobraMessage(string[] args, string message)
    {
        var options = new AgnhostOptions { Error = new StringWriter(), Signals = new FakeSignals() };

        var code = await AgnhostProgram.RunAsync(args, options, CancellationToken.None);

        Assert.Equal(1, code);
        Assert.StartsWith(message, options.Error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--help" }, "Available Commands")]
    [InlineData(new[] { "help" }, "Available Commands")]
    [InlineData(new[] { "help", "netexec" }, "--http-port int")]
    [InlineData(new[] { "serve-hostname", "--help" }, "--port int")]
    [InlineData(new[] { "--version" }, "app version 2.53")]
    public async Task HelpAndVersion_PrintAndExitZero(string[] args, string expected)
    {
        var options = new AgnhostOptions { Out = new StringWriter(), Signals = new FakeSignals() };

        var code = await AgnhostProgram.RunAsync(args, options, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Contains(expected, options.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KlogFlags_AcceptedAndIgnored()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(["--v", "2", "netexec", "--logtostderr", "--v=4", "--http-port=0", "--udp-port=-1"], ["http"]);
        using var client = TestAddresses.HttpClient();

        Assert.Equal("mypod", await client.GetStringAsync(agnhost.Url("/hostname")));
    }
}
