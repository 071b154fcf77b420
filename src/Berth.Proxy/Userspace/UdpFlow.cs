using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Balancing;
using Berth.Proxy.Observability;

namespace Berth.Proxy.Userspace;

/// <summary>
/// One UDP "connection": a client address and port stuck to one endpoint, through a socket connected to that
/// endpoint. The endpoint's replies go back through the entry point's socket, so they come from the Service address.
/// Closed when idle, when its endpoint leaves the routing table, or when the endpoint answers ICMP port unreachable.
/// </summary>
internal sealed class UdpFlow : IDisposable
{
    private readonly UdpFrontend _frontend;
    private readonly SocketAddress _client;
    private readonly EndpointMetrics _metrics;
    private long _lastActivity;
    private int _closed;

    public UdpFlow(UdpFrontend frontend, FlowKey key, SocketAddress client, BackendEndpoint endpoint, Socket socket, long now, EndpointMetrics metrics)
    {
        _frontend = frontend;
        Key = key;
        _client = client;
        Endpoint = endpoint;
        Socket = socket;
        _metrics = metrics;
        _lastActivity = now;
    }

    public FlowKey Key { get; }

    public BackendEndpoint Endpoint { get; }

    /// <summary>Connected to <see cref="Endpoint"/>.</summary>
    public Socket Socket { get; }

    public long LastActivity => Volatile.Read(ref _lastActivity);

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public void Touch(long now) => Volatile.Write(ref _lastActivity, now);

    public void Start() => _ = ReplyLoopAsync();

    /// <summary>Sends one client datagram to the endpoint; false when the endpoint refused (the flow is then closed).</summary>
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> datagram)
    {
        try
        {
            await Socket.SendAsync(datagram, SocketFlags.None).ConfigureAwait(false);
            _metrics.SentBytes.Inc(datagram.Length);
            return true;
        }
        catch (SocketException e)
        {
            _frontend.Close(this, failed: e.SocketErrorCode == SocketError.ConnectionRefused);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            Socket.Dispose();
        }
    }

    private async Task ReplyLoopAsync()
    {
        while (!IsClosed)
        {
            byte[]? buffer = null;
            try
            {
                // Wait without a buffer (a zero-byte read of a UDP socket peeks: the datagram stays queued).
                await Socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                buffer = ArrayPool<byte>.Shared.Rent(UdpFrontend.MaxDatagram);
                var n = await Socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                Touch(_frontend.Context.Now());
                await _frontend.ReplyAsync(buffer.AsMemory(0, n), _client).ConfigureAwait(false);
                _metrics.ReceivedBytes.Inc(n);
            }
            catch (SocketException e)
            {
                // ECONNREFUSED: the endpoint answered ICMP port unreachable; the client's next datagram picks again.
                _frontend.Close(this, failed: e.SocketErrorCode == SocketError.ConnectionRefused);
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
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
}
