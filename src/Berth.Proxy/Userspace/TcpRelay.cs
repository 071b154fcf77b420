using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Balancing;
using Berth.Proxy.Model;
using Berth.Proxy.Observability;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Berth.Proxy.Userspace;

/// <summary>
/// One proxied TCP connection. The endpoint is chosen (affinity, then policy) and connected before a byte of the
/// client is read; a refused, unreachable or timed-out connect marks that endpoint failed for a moment and the next
/// one is tried, so a pod that died before its EndpointSlice changed costs the client nothing. With none left the
/// client is reset. Then bytes flow both ways (pooled buffers, zero-byte reads while idle, <c>splice(2)</c> for bulk
/// streams) with each direction's end (FIN) passed on separately; a reset on either side resets the other.
/// </summary>
internal sealed partial class TcpRelay
{
    /// <summary>Endpoints tried per connection at most (the old userspace kube-proxy tried four times).</summary>
    private const int MaxAttempts = 4;

    /// <summary>Buffer per direction while data flows; HAProxy's <c>tune.bufsize</c> is 16 KiB too.</summary>
    private const int BufferSize = 16 * 1024;

    /// <summary>Byte counts reach the metrics in steps this big (and at the end), not once per read.</summary>
    private const int MetricsFlushBytes = 256 * 1024;

    private static readonly string[] _policyNames = ["round-robin", "random", "least-connections"];

    private readonly Socket _client;
    private readonly TcpFrontend _frontend;
    private readonly UserspaceContext _context;
    private Socket? _backend;
    private BackendEndpoint? _endpoint;
    private int _aborted;

    private TcpRelay(Socket client, TcpFrontend frontend)
    {
        _client = client;
        _frontend = frontend;
        _context = frontend.Context;
    }

    public static void Start(Socket client, TcpFrontend frontend) => _ = new TcpRelay(client, frontend).RunAsync();

    /// <summary>Ends the connection at once, with a reset to both sides.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        Reset(_client);
        if (_backend is { } backend)
        {
            Reset(backend);
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    private async Task RunAsync()
    {
        _context.Register(this);
        try
        {
            if (!await ConnectAsync().ConfigureAwait(false))
            {
                return;
            }

            var metrics = _endpoint!.Metrics ??= _context.Metrics.ForEndpoint(_frontend.Owner.Name, _endpoint);
            metrics.Connections.Inc();
            var backend = _backend!;
            if (_frontend.Owner.Model.Info.ProxyProtocol)
            {
                await WriteProxyHeaderAsync(backend).ConfigureAwait(false);
            }

            var up = PumpAsync(_client, backend, metrics.SentBytes);
            var down = PumpAsync(backend, _client, metrics.ReceivedBytes);
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Abort();
        }
        finally
        {
            _client.Dispose();
            _backend?.Dispose();
            _endpoint?.Closed();
            _context.Unregister(this);
        }
    }

    /// <summary>Chooses and connects an endpoint, trying others after failures; false when the client was reset.</summary>
    private async Task<bool> ConnectAsync()
    {
        _client.NoDelay = true;
        var remote = (IPEndPoint)_client.RemoteEndPoint!;
        var port = _frontend.Owner;
        var entry = _frontend.Entry;
        var table = port.Table(entry.Kind);
        if (table.Verdict != Verdict.Forward)
        {
            // Accepted in the moment before the listener was closed or its drop filter attached.
            Abort();
            return false;
        }

        var client = ClientKey.Of(remote.Address);
        var time = _context.Time.GetUtcNow();
        BackendEndpoint[]? tried = null;
        var attempts = 0;
        string? failures = null;
        while (true)
        {
            var decision = Decision.Refused;
            var endpoint = attempts < MaxAttempts ? table.Choose(client, _context.Now(), tried.AsSpan(0, attempts), out decision) : null;
            if (endpoint is null)
            {
                port.Metrics.Refused.Inc();
                _context.Trace.Add(new TraceEntry(time, remote, entry, port.Name, null, Decision.Refused, failures));
                Abort();
                return false;
            }

            var (socket, error) = await TryConnectAsync(endpoint).ConfigureAwait(false);
            if (socket is not null)
            {
                _backend = socket;
                _endpoint = endpoint;
                endpoint.Opened();
                var detail = decision == Decision.Policy ? _policyNames[(int)table.Balancer.Policy] : failures;
                _context.Trace.Add(new TraceEntry(time, remote, entry, port.Name, endpoint.Name, decision, detail));
                if (Volatile.Read(ref _aborted) != 0)
                {
                    // The proxy stopped while we connected.
                    Reset(socket);
                    return false;
                }

                return true;
            }

            endpoint.MarkFailed(_context.Now() + _context.FailedHold);
            (endpoint.Metrics ??= _context.Metrics.ForEndpoint(port.Name, endpoint)).ConnectFailures.Inc();
            port.Metrics.Retries.Inc();
            Log.ConnectFailed(_context.Logger, port.Name.ToString(), endpoint.Name, error);
            failures = (failures is null ? "after " : failures + ", ") + endpoint.Name + " " + Describe(error);
            (tried ??= new BackendEndpoint[MaxAttempts])[attempts++] = endpoint;

            // A sync may have swapped the table meanwhile (the endpoint's pod is gone): choose from the new one.
            table = port.Table(entry.Kind);
            if (table.Verdict != Verdict.Forward)
            {
                table = RoutingTable.Rejecting;
            }
        }
    }

    private async Task<(Socket? Socket, SocketError Error)> TryConnectAsync(BackendEndpoint endpoint)
    {
        var socket = new Socket(endpoint.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(_context.ConnectTimeout, _context.Time);
        try
        {
            await socket.ConnectAsync(endpoint.EndPoint, timeout.Token).ConfigureAwait(false);
            return (socket, SocketError.Success);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            return (null, e.SocketErrorCode);
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            return (null, SocketError.TimedOut);
        }
    }

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "refused",
        SocketError.TimedOut => "timed out",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "unreachable",
        _ => error.ToString(),
    };

    private async Task WriteProxyHeaderAsync(Socket backend)
    {
        var header = ArrayPool<byte>.Shared.Rent(ProxyProtocolV2.MaxLength);
        try
        {
            var length = ProxyProtocolV2.Write(header, (IPEndPoint)_client.RemoteEndPoint!, (IPEndPoint)_client.LocalEndPoint!);
            await backend.SendAsync(header.AsMemory(0, length), SocketFlags.None).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
    }

    /// <summary>
    /// Copies <paramref name="from"/> → <paramref name="to"/> until <paramref name="from"/> ends, then passes the end on
    /// (half-close). While idle it waits with a zero-byte read and holds no buffer; a direction that has carried
    /// <see cref="UserspaceContext.SpliceAfterBytes"/> continues with <c>splice(2)</c>.
    /// </summary>
    private async Task PumpAsync(Socket from, Socket to, Counter.Child bytes)
    {
        byte[]? buffer = null;
        long total = 0, unreported = 0;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                }

                var n = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None).ConfigureAwait(false);
                total += n;
                unreported += n;
                if (unreported >= MetricsFlushBytes)
                {
                    bytes.Inc(unreported);
                    unreported = 0;
                }

                if (total >= _context.SpliceAfterBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                    await SpliceAsync(from, to, bytes).ConfigureAwait(false);
                    return;
                }

                if (n < buffer.Length)
                {
                    // Drained for now: give the buffer back and wait for more without one.
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Abort();
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            bytes.Inc(unreported);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5031, Level = LogLevel.Debug, Message = "Connect from {ServicePort} to {Endpoint} failed ({Error}); trying another endpoint")]
        public static partial void ConnectFailed(ILogger logger, string servicePort, string endpoint, SocketError error);
    }
}
