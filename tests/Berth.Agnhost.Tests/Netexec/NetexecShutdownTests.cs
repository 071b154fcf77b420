using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Agnhost.Tests.Infrastructure;

namespace Berth.Agnhost.Tests.Netexec;

public sealed class NetexecShutdownTests
{
    private static readonly string[] _netexec = ["netexec", "--http-port=0", "--udp-port=0"];

    [Fact]
    public async Task Exit_NoTimeout_EndsAtOnceWithCodeAndNoAnswer()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var client = TestAddresses.HttpClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(agnhost.Url("/exit?code=7")));
        var code = await agnhost.Exit.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(7, code);
    }

    [Fact]
    public async Task Exit_WithTimeout_AnswersThenShutsDownGracefully()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var client = TestAddresses.HttpClient();

        using var response = await client.GetAsync(agnhost.Url("/exit?code=3&timeout=5s"));
        var code = await agnhost.Exit.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, code);
        Assert.Contains("Will begin shutdown in 0s, allowing 5s for connections to close, then will exit with 3", agnhost.Stderr, StringComparison.Ordinal);
        Assert.Contains("Graceful shutdown completed with: <nil>", agnhost.Stderr, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(agnhost["http"]));
    }

    [Fact]
    public async Task Exit_BadDuration_AnswersGoMessageAndKeepsRunning()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var client = TestAddresses.HttpClient();

        var answer = await client.GetStringAsync(agnhost.Url("/exit?timeout=soon"));

        Assert.Equal("argument 'timeout' must be a valid golang duration or empty, got \"soon\"\n", answer);
        Assert.False(agnhost.Exit.IsCompleted);
    }

    [Fact]
    public async Task Shutdown_EndsWithZero()
    {
        await using var agnhost = await RunningAgnhost.StartAsync(_netexec, ["http"]);
        using var client = TestAddresses.HttpClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(agnhost.Url("/shutdown")));

        Assert.Equal(0, await agnhost.Exit.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Sigterm_WithDelay_ReadyzTurns503HealthzStaysOkThenExitsZero()
    {
        var time = new ManualTimeProvider();
        await using var agnhost = await RunningAgnhost.StartAsync([.. _netexec, "--delay-shutdown=30"], ["http", "udp"], time);
        using var client = TestAddresses.HttpClient();

        agnhost.Signals.Raise(PosixSignal.SIGTERM);
        using var readyz = await client.GetAsync(agnhost.Url("/readyz"));
        using var healthz = await client.GetAsync(agnhost.Url("/healthz"));
        await time.WhenTimerArmedAsync(time.GetUtcNow().AddSeconds(30));
        var runningBeforeDelay = !agnhost.Exit.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(30));
        var code = await agnhost.Exit.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
        Assert.Equal("shutting down", await readyz.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.True(runningBeforeDelay);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task PortTaken_ExitsOneWithGoListenError()
    {
        var podIP = TestAddresses.Next();
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(podIP, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var options = new AgnhostOptions { PodIP = podIP, Error = new StringWriter(), Signals = new FakeSignals() };

        var code = await AgnhostProgram.RunAsync(["netexec", $"--http-port={port}", "--udp-port=-1"], options, CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Contains($"listen tcp {podIP}:{port}: bind: address already in use", options.Error.ToString(), StringComparison.Ordinal);
    }

    private static async Task ConnectAsync(IPEndPoint endPoint)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint);
    }
}
