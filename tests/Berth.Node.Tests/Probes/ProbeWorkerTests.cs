using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Berth.Node.Probes;
using Berth.Node.Runtime;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Node.Tests.Probes;

public sealed class ProbeWorkerTests
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_ReadinessPortOpensAfterTheFirstProbe_ReadyBeforeThePeriodEnds_EarlyFailuresUnreported()
    {
        var time = new ManualTimeProvider();
        var started = time.GetUtcNow();
        var port = FreePort();
        await using var launcher = ProcessLauncher.Start(NullLogger.Instance);
        using var prober = new Prober(launcher, time);
        var observations = Channel.CreateUnbounded<ProbeObservation>();
        var target = new ProbeTarget("127.0.0.1", new V1Container { Name = "main" }, [], Path.GetTempPath());
        var probe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = port }, PeriodSeconds = 10 };
        var worker = new ProbeWorker(ProbeKind.Readiness, probe, prober, () => target, () => true, (_, o) => observations.Writer.TryWrite(o), started, time);
        using var stop = new CancellationTokenSource();

        var run = worker.RunAsync(stop.Token);
        var first = await observations.Reader.ReadAsync().AsTask().WaitAsync(_wait);
        await time.WhenTimerArmedAsync(started + TimeSpan.FromMilliseconds(25));
        time.Advance(TimeSpan.FromMilliseconds(25));
        await time.WhenTimerArmedAsync(started + TimeSpan.FromMilliseconds(75));
        var earlyFailureReported = observations.Reader.TryRead(out _);
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        time.Advance(TimeSpan.FromMilliseconds(50));
        var ready = await observations.Reader.ReadAsync().AsTask().WaitAsync(_wait);

        Assert.Equal(ProbeResult.Failure, first.Attempt);
        Assert.False(earlyFailureReported);
        Assert.Equal(ProbeResult.Success, ready.Attempt);
        Assert.True(ready.Changed);
        Assert.Equal(ProbeResult.Success, worker.Result);
        await stop.CancelAsync();
        await run.WaitAsync(_wait);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
