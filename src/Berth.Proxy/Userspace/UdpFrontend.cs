using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Balancing;
using Berth.Proxy.Model;
using Berth.Proxy.Observability;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Userspace;

/// <summary>
/// A UDP socket on one entry point. Each client address and port is a flow (<see cref="UdpFlow"/>) to one endpoint,
/// chosen by affinity and policy on its first datagram; idle flows end after <see cref="ProxyOptions.UdpIdleTimeout"/>,
/// and flows whose endpoint is no longer usable end at once, so the next datagram picks a live endpoint — the
/// conntrack cleanup of §5.9, done by construction. Drop: datagrams are read and discarded. Reject: no socket, the
/// kernel answers ICMP port unreachable.
/// </summary>
internal sealed partial class UdpFrontend : IFrontend
{
    /// <summary>The largest UDP payload.</summary>
    public const int MaxDatagram = 65535;

    private readonly Socket _socket;
    private readonly Lock _gate = new();
    private readonly Dictionary<FlowKey, UdpFlow> _flows = [];
    private readonly ITimer _sweeper;
    private volatile bool _dropping;
    private volatile bool _closed;

    public UdpFrontend(EntryPoint entry, ServicePortRuntime owner, Socket socket, UserspaceContext context)
    {
        Entry = entry;
        Owner = owner;
        _socket = socket;
        Context = context;
        var period = context.Options.UdpIdleTimeout / 2;
        _sweeper = context.Time.CreateTimer(_ => Sweep(), null, Timeout.InfiniteTimeSpan, period);
        _sweeper.Change(period, period);
    }

    public EntryPoint Entry { get; }

    public ServicePortRuntime Owner { get; }

    public UserspaceContext Context { get; }

    public int FlowCount
    {
        get
        {
            lock (_gate)
            {
                return _flows.Count;
            }
        }
    }

    public void Start() => _ = ReceiveLoopAsync();

    public void Apply(Verdict verdict)
    {
        _dropping = verdict == Verdict.Drop;
        var table = Owner.Table(Entry.Kind);
        List<UdpFlow>? stale = null;
        lock (_gate)
        {
            foreach (var flow in _flows.Values)
            {
                if (table.Verdict != Verdict.Forward || !table.Contains(flow.Endpoint))
                {
                    (stale ??= []).Add(flow);
                }
            }
        }

        foreach (var flow in stale ?? [])
        {
            Close(flow, failed: false);
        }
    }

    public void Dispose()
    {
        _closed = true;
        _sweeper.Dispose();
        _socket.Dispose();
        List<UdpFlow> flows;
        lock (_gate)
        {
            flows = [.. _flows.Values];
            _flows.Clear();
        }

        foreach (var flow in flows)
        {
            flow.Dispose();
            flow.Endpoint.Closed();
            Context.FlowClosed();
        }
    }

    /// <summary>Sends an endpoint's reply to the client from the entry point's address.</summary>
    public ValueTask<int> ReplyAsync(ReadOnlyMemory<byte> datagram, SocketAddress client) =>
        _socket.SendToAsync(datagram, SocketFlags.None, client);

    /// <summary>Ends a flow; <paramref name="failed"/> marks its endpoint failed (it refused).</summary>
    public void Close(UdpFlow flow, bool failed)
    {
        lock (_gate)
        {
            if (!_flows.TryGetValue(flow.Key, out var existing) || !ReferenceEquals(existing, flow))
            {
                return;
            }

            _flows.Remove(flow.Key);
        }

        flow.Dispose();
        flow.Endpoint.Closed();
        Context.FlowClosed();
        if (failed)
        {
            flow.Endpoint.MarkFailed(Context.Now() + Context.FailedHold);
            (flow.Endpoint.Metrics ??= Context.Metrics.ForEndpoint(Owner.Name, flow.Endpoint)).ConnectFailures.Inc();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var from = new SocketAddress(_socket.AddressFamily);
        while (!_closed)
        {
            byte[]? buffer = null;
            try
            {
                // Wait without holding a buffer: a zero-byte peek leaves the datagram queued.
                await _socket.ReceiveFromAsync(Memory<byte>.Empty, SocketFlags.Peek, from).ConfigureAwait(false);
                buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
                var n = await _socket.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, from).ConfigureAwait(false);
                await ForwardAsync(buffer.AsMemory(0, n), from).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                if (_closed)
                {
                    return;
                }

                Log.ReceiveFailed(Context.Logger, e, Entry.ToString(), e.SocketErrorCode);
            }
            finally
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    private async ValueTask ForwardAsync(ReadOnlyMemory<byte> datagram, SocketAddress from)
    {
        var key = FlowKey.Of(from);
        UdpFlow? flow;
        lock (_gate)
        {
            _flows.TryGetValue(key, out flow);
        }

        if (flow is null)
        {
            if (_dropping)
            {
                Context.Trace.Add(new TraceRecord(Context.Time.GetUtcNow(), key.Address, key.Port, Entry, Owner.Name, null, Decision.Dropped, null));
                return;
            }

            flow = Open(key, from);
            if (flow is null)
            {
                return;
            }
        }

        flow.Touch(Context.Now());
        if (!await flow.SendAsync(datagram).ConfigureAwait(false))
        {
            // The endpoint refused (an ICMP error from an earlier datagram): send this one on a new flow.
            if (Open(key, from) is { } retried)
            {
                await retried.SendAsync(datagram).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Opens a flow for a new client, or null when there is no endpoint to send to.</summary>
    private UdpFlow? Open(FlowKey key, SocketAddress from)
    {
        var table = Owner.Table(Entry.Kind);
        var now = Context.Now();
        var time = Context.Time.GetUtcNow();
        var decision = Decision.Refused;
        var endpoint = table.Verdict == Verdict.Forward ? table.Choose(key.Address, now, [], out decision) : null;
        if (endpoint is null)
        {
            Context.Trace.Add(new TraceRecord(time, key.Address, key.Port, Entry, Owner.Name, null, table.Verdict == Verdict.Drop ? Decision.Dropped : Decision.Refused, null));
            return null;
        }

        var socket = new Socket(endpoint.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Connect(endpoint.EndPoint);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }

        var copy = new SocketAddress(from.Family, from.Size);
        from.Buffer.Span[..from.Size].CopyTo(copy.Buffer.Span);
        var metrics = endpoint.Metrics ??= Context.Metrics.ForEndpoint(Owner.Name, endpoint);
        var flow = new UdpFlow(this, key, copy, endpoint, socket, now, metrics);
        lock (_gate)
        {
            if (_closed)
            {
                flow.Dispose();
                return null;
            }

            if (_flows.Remove(key, out var replaced))
            {
                // The old flow's endpoint refused: it is closed by its own loop; account for it here.
                replaced.Dispose();
                replaced.Endpoint.Closed();
                Context.FlowClosed();
            }

            _flows[key] = flow;
        }

        endpoint.Opened();
        Context.FlowOpened();
        metrics.Connections.Inc();
        Context.Trace.Add(new TraceRecord(time, key.Address, key.Port, Entry, Owner.Name, endpoint, decision, null));
        flow.Start();
        return flow;
    }

    private void Sweep()
    {
        var idleFor = Context.Ticks(Context.Options.UdpIdleTimeout);
        var now = Context.Now();
        List<UdpFlow>? idle = null;
        lock (_gate)
        {
            foreach (var flow in _flows.Values)
            {
                if (now - flow.LastActivity >= idleFor)
                {
                    (idle ??= []).Add(flow);
                }
            }
        }

        foreach (var flow in idle ?? [])
        {
            Close(flow, failed: false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5032, Level = LogLevel.Debug, Message = "Receive on {EntryPoint} failed ({Error})")]
        public static partial void ReceiveFailed(ILogger logger, Exception exception, string entryPoint, SocketError error);
    }
}
