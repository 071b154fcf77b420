using System.Net;
using Berth.Agnhost.Tests.Infrastructure;

namespace Berth.Agnhost.Tests;

/// <summary>The real <c>berth</c> executable as the node agent starts it: <c>dotnet berth.dll agnhost …</c>.</summary>
public sealed class BerthAgnhostProcessTests
{
    [Fact]
    public async Task Netexec_AsPod_ServesHostnameEchoShellUdpAndExitCode()
    {
        var podIP = TestAddresses.Next();
        var httpPort = TestAddresses.FreePort(podIP);
        var udpPort = TestAddresses.FreePort(podIP);
        await using var agnhost = AgnhostProcess.Start(podIP, "mypod", "netexec", $"--http-port={httpPort}", $"--udp-port={udpPort}");
        using var client = TestAddresses.HttpClient();

        await agnhost.WaitListeningAsync(new IPEndPoint(podIP, httpPort));
        var hostname = await client.GetStringAsync(new Uri($"http://{podIP}:{httpPort}/hostname"));
        var echo = await client.GetStringAsync(new Uri($"http://{podIP}:{httpPort}/echo?msg=hello"));
        var shell = await client.GetStringAsync(new Uri($"http://{podIP}:{httpPort}/shell?cmd=" + Uri.EscapeDataString("echo $POD_IP $HOSTNAME")));
        var udp = await TestAddresses.UdpAsync(new IPEndPoint(podIP, udpPort), "hostname");
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://{podIP}:{httpPort}/exit?code=42")));
        var code = await agnhost.WaitForExitAsync();

        Assert.Equal("mypod", hostname);
        Assert.Equal("hello", echo);
        Assert.Equal("{\"output\":\"" + podIP + " mypod\\n\"}", shell);
        Assert.Equal("mypod", udp);
        Assert.Equal(42, code);
        Assert.Contains("Started HTTP server on port " + httpPort, agnhost.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_Sigterm_ExitsTwoAsUpstream()
    {
        await using var agnhost = AgnhostProcess.Start(TestAddresses.Next(), "mypod", "pause");

        await agnhost.WaitForStdoutAsync("Paused");
        await agnhost.SignalAsync("TERM");
        var code = await agnhost.WaitForExitAsync();

        Assert.Equal(2, code);
        Assert.Equal("Paused\nexiting 2\n", agnhost.Stdout);
    }

    [Fact]
    public async Task Netexec_Sigterm_ExitsZero()
    {
        var podIP = TestAddresses.Next();
        var httpPort = TestAddresses.FreePort(podIP);
        await using var agnhost = AgnhostProcess.Start(podIP, "mypod", "netexec", $"--http-port={httpPort}", "--udp-port=-1");

        await agnhost.WaitListeningAsync(new IPEndPoint(podIP, httpPort));
        await agnhost.SignalAsync("TERM");

        Assert.Equal(0, await agnhost.WaitForExitAsync());
    }
}
