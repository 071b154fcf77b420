using System.Collections.Concurrent;
using System.Net;

namespace Berth.Agnhost.Tests.Infrastructure;

/// <summary>
/// A subcommand run in the test process on real sockets: its own 127.0.0.x (as POD_IP), port 0 unless the args say
/// otherwise, fake signals, captured stdout/stderr. Disposing cancels it and waits for it to end.
/// </summary>
internal sealed class RunningAgnhost : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly ConcurrentDictionary<string, IPEndPoint> _endpoints = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    private RunningAgnhost(IPAddress podIP, TimeProvider time)
    {
        PodIP = podIP;
        Options = new AgnhostOptions
        {
            PodIP = podIP,
            Hostname = "mypod",
            Out = TextWriter.Synchronized(_out),
            Error = TextWriter.Synchronized(_error),
            Signals = Signals,
            TimeProvider = time,
            Listening = (kind, endPoint) => _endpoints[kind] = endPoint,
        };
    }

    public IPAddress PodIP { get; }

    public FakeSignals Signals { get; } = new();

    public AgnhostOptions Options { get; }

    public Task<int> Exit { get; private set; } = Task.FromResult(0);

    public IPEndPoint this[string kind] => _endpoints[kind];

    public Uri Url(string pathAndQuery) => new("http://" + this["http"] + pathAndQuery);

    public string Stdout => _out.ToString();

    public string Stderr => _error.ToString();

    /// <summary>Starts <paramref name="args"/> and waits until each of <paramref name="listening"/> is bound.</summary>
    public static async Task<RunningAgnhost> StartAsync(string[] args, string[] listening, TimeProvider? time = null, IPAddress? podIP = null)
    {
        var running = new RunningAgnhost(podIP ?? TestAddresses.Next(), time ?? TimeProvider.System);
        running.Exit = Task.Run(() => AgnhostProgram.RunAsync(args, running.Options, running._cancel.Token));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!listening.All(running._endpoints.ContainsKey))
        {
            if (running.Exit.IsCompleted)
            {
                throw new InvalidOperationException("agnhost ended with " + await running.Exit + ": " + running.Stderr);
            }

            if (DateTime.UtcNow > deadline)
            {
                await running.DisposeAsync();
                throw new TimeoutException("agnhost did not listen: " + running.Stderr);
            }

            await Task.Delay(5);
        }

        return running;
    }

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        await Exit.WaitAsync(TimeSpan.FromSeconds(10));
        _cancel.Dispose();
    }
}
