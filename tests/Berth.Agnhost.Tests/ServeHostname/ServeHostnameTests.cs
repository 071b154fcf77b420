using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Agnhost.Tests.Infrastructure;

namespace Berth.Agnhost.Tests.ServeHostname;

public sealed class ServeHostnameTests
{
    [Fact]
    public async Task Http_AnyPath_AnswersHostname()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(["serve-hostname", "--port=0"], ["http"]);
        using var client = TestAddresses.HttpClient();

        var root = await client.GetStringAsync(agnhost.Url("/"));
        var other = await client.GetStringAsync(agnhost.Url("/anything"));

        Assert.Equal("mypod", root);
        Assert.Equal("mypod", other);
        Assert.Equal(agnhost.PodIP, agnhost["http"].Address);
    }

    [Fact]
    public async Task HttpClose_AnswersConnectionClose()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(["serve-hostname", "--port=0", "--close"], ["http"]);
        using var client = TestAddresses.HttpClient();

        using var response = await client.GetAsync(agnhost.Url("/"));

        Assert.True(response.Headers.ConnectionClose);
        Assert.Equal("mypod", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TcpAndUdp_WithoutHttp_AnswerHostnameRaw()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(["serve-hostname", "--port=0", "--http=false", "--tcp", "--udp"], ["tcp", "udp"]);
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        await tcp.ConnectAsync(agnhost["tcp"]);
        var buffer = new byte[64];
        var n = await tcp.ReceiveAsync(buffer);
        var udp = await TestAddresses.UdpAsync(agnhost["udp"], "anything at all, longer than sixteen bytes");

        Assert.Equal("mypod", System.Text.Encoding.UTF8.GetString(buffer, 0, n));
        Assert.Equal("mypod", udp);
    }

    [Fact]
    public async Task HttpWithTcp_RefusedWithExitOne()
    {
        var options = new AgnhostOptions { Error = new StringWriter(), Signals = new FakeSignals() };

        var code = await AgnhostProgram.RunAsync(["serve-hostname", "--tcp"], options, CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Contains("Can't serve TCP/UDP mode and HTTP mode at the same time", options.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_KeepsServingSixtySecondsThenExitsZero()
    {
        var time = new ManualTimeProvider();
        await using var agnhost = await RunningAgnhost.StartAsync(["serve-hostname", "--port=0"], ["http"], time);
        using var client = TestAddresses.HttpClient();

        agnhost.Signals.Raise(PosixSignal.SIGTERM);
        await time.WhenTimerArmedAsync(time.GetUtcNow().AddSeconds(60));
        var during = await client.GetStringAsync(agnhost.Url("/"));
        time.Advance(TimeSpan.FromSeconds(60));
        var code = await agnhost.Exit.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("mypod", during);
        Assert.Equal(0, code);
        Assert.Contains("Awaiting pod deletion.", agnhost.Stderr, StringComparison.Ordinal);
    }
}
