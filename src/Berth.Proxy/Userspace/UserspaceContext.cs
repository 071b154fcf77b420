using Berth.Proxy.Native;
using Berth.Proxy.Observability;
using Berth.Proxy.Userspace.Engine;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Userspace;

/// <summary>What every listener, connection and flow of the userspace backend shares: settings, clock, metrics, trace.</summary>
internal sealed class UserspaceContext : IDisposable
{
    private EventLoop[]? _loops;
    private long _connections;
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
    /// A direction moves by <c>splice(2)</c> once this many reads in a row filled the whole buffer — a bulk stream.
    /// Request/response traffic (however much of it a keep-alive connection carries) keeps the copy path, which is
    /// cheaper for small messages: splicing them costs an skb and page-fragment bookkeeping per message.
    /// <c>BERTH_PROXY_SPLICE=0</c> turns splicing off (measurements).
    /// </summary>
    public int SpliceAfterFullReads { get; init; } = Environment.GetEnvironmentVariable("BERTH_PROXY_SPLICE") == "0" ? int.MaxValue : 4;

    public long ActiveConnections => Interlocked.Read(ref _connections);

    /// <summary>The TCP event loops, one per core, started on first use.</summary>
    public IReadOnlyList<EventLoop> Loops
    {
        get
        {
            if (Volatile.Read(ref _loops) is { } loops)
            {
                return loops;
            }

            var created = Enumerable.Range(0, Environment.ProcessorCount).Select(i => new EventLoop(this, i)).ToArray();
            if (Interlocked.CompareExchange(ref _loops, created, null) is { } existing)
            {
                foreach (var loop in created)
                {
                    loop.Dispose();
                }

                return existing;
            }

            return created;
        }
    }

    public long UdpFlows => Interlocked.Read(ref _udpFlows);

    /// <summary>Now, as a <see cref="TimeProvider.GetTimestamp"/> value.</summary>
    public long Now() => Time.GetTimestamp();

    public long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Time.TimestampFrequency);

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    public void FlowOpened() => Interlocked.Increment(ref _udpFlows);

    public void FlowClosed() => Interlocked.Decrement(ref _udpFlows);

    /// <summary>Stops the event loops, resetting every connection still open, and frees the pooled pipes.</summary>
    public void Dispose()
    {
        foreach (var loop in Interlocked.Exchange(ref _loops, []) ?? [])
        {
            loop.Dispose();
        }

        Pipes.Dispose();
    }
}
