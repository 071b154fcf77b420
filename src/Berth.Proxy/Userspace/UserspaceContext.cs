using System.Collections.Concurrent;
using Berth.Proxy.Native;
using Berth.Proxy.Observability;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Userspace;

/// <summary>What every listener, connection and flow of the userspace backend shares: settings, clock, metrics, trace.</summary>
internal sealed class UserspaceContext : IDisposable
{
    private readonly ConcurrentDictionary<TcpRelay, byte> _relays = new();
    private long _udpFlows;

    public UserspaceContext(ProxyOptions options, ProxyMetrics metrics, ConnectionTrace trace, IServiceEvents events, ILogger logger)
    {
        Options = options;
        Time = options.TimeProvider;
        Metrics = metrics;
        Trace = trace;
        Events = events;
        Logger = logger;
        ConnectTimeout = options.ConnectTimeout;
        FailedHold = Ticks(options.FailedEndpointHold);
        NodePortAddresses = options.NodePortAddresses.Count > 0 ? [.. options.NodePortAddresses] : [System.Net.IPAddress.Loopback];
    }

    public ProxyOptions Options { get; }

    public TimeProvider Time { get; }

    public ProxyMetrics Metrics { get; }

    public ConnectionTrace Trace { get; }

    public IServiceEvents Events { get; }

    public ILogger Logger { get; }

    public TimeSpan ConnectTimeout { get; }

    /// <summary><see cref="ProxyOptions.FailedEndpointHold"/> in timestamp ticks.</summary>
    public long FailedHold { get; }

    public IReadOnlyList<System.Net.IPAddress> NodePortAddresses { get; }

    /// <summary>Splice pipes of 1 MiB (what an unprivileged process may ask for), up to 64 kept idle.</summary>
    public PipePool Pipes { get; } = new(1 << 20, 64);

    /// <summary>
    /// Bulk streams move by <c>splice(2)</c> once a direction has carried this many bytes; request/response traffic
    /// stays below it and keeps the cheaper copy path. <c>BERTH_PROXY_SPLICE=0</c> turns splicing off (measurements).
    /// </summary>
    public long SpliceAfterBytes { get; init; } = Environment.GetEnvironmentVariable("BERTH_PROXY_SPLICE") == "0" ? long.MaxValue : 256 * 1024;

    public long ActiveConnections => _relays.Count;

    public long UdpFlows => Interlocked.Read(ref _udpFlows);

    /// <summary>Now, as a <see cref="TimeProvider.GetTimestamp"/> value.</summary>
    public long Now() => Time.GetTimestamp();

    public long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Time.TimestampFrequency);

    public void Register(TcpRelay relay) => _relays.TryAdd(relay, 0);

    public void Unregister(TcpRelay relay) => _relays.TryRemove(relay, out _);

    public void FlowOpened() => Interlocked.Increment(ref _udpFlows);

    public void FlowClosed() => Interlocked.Decrement(ref _udpFlows);

    /// <summary>Resets every connection still open (the proxy is stopping).</summary>
    public void AbortAll()
    {
        foreach (var relay in _relays.Keys)
        {
            relay.Abort();
        }
    }

    public void Dispose() => Pipes.Dispose();
}
