using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Dns.Forwarding;
using Microsoft.Extensions.Logging;

namespace Berth.Dns.Server;

/// <summary>
/// DNS over UDP: one SO_REUSEPORT socket per worker, each read by its own thread with blocking calls — no epoll hop,
/// no thread-pool hand-off, no allocation per datagram. With a batch size above 1, <c>recvmmsg</c>/<c>sendmmsg</c>
/// (<see cref="MessageBatch"/>) take and answer every query waiting at once; otherwise <c>recvfrom</c>/<c>sendto</c>
/// through the <see cref="SocketAddress"/> overloads. A blocked thread uses no CPU. Queries for other zones go to the
/// <see cref="Forwarder"/> and are answered from the thread pool when the upstream replies.
/// </summary>
internal sealed partial class UdpServer : IAsyncDisposable
{
    private const int MaxDatagram = ushort.MaxValue;

    private readonly Socket[] _sockets;
    private readonly Thread[] _threads;
    private readonly QueryProcessor _processor;
    private readonly ClientFilter _filter;
    private readonly Forwarder _forwarder;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private int _inFlight;

    private UdpServer(Socket[] sockets, int batch, QueryProcessor processor, ClientFilter filter, Forwarder forwarder, ILogger logger)
    {
        _sockets = sockets;
        _processor = processor;
        _filter = filter;
        _forwarder = forwarder;
        _logger = logger;
        Endpoint = (IPEndPoint)sockets[0].LocalEndPoint!;
        Stats = [.. sockets.Select(_ => new QueryStats(shared: false))];
        ForwardStats = new QueryStats(shared: true);
        _threads = [.. sockets.Select((s, i) => new Thread(batch > 1 ? () => ReceiveBatches(s, batch, Stats[i]) : () => Receive(s, Stats[i])) { IsBackground = true, Name = $"dns-udp-{i}" })];
    }

    public IPEndPoint Endpoint { get; }

    /// <summary>One per socket, written only by its thread.</summary>
    public IReadOnlyList<QueryStats> Stats { get; }

    /// <summary>Forwarded queries, answered from the thread pool.</summary>
    public QueryStats ForwardStats { get; }

    /// <summary>Upper bound on forwarded queries waiting for an upstream at once; more are answered SERVFAIL at once.</summary>
    public int MaxInFlight { get; init; } = 1000;

    /// <summary>
    /// Binds <paramref name="sockets"/> sockets to <paramref name="endpoint"/> (port 0: one free port for all) and starts
    /// their threads, each taking up to <paramref name="batch"/> queries per system call.
    /// </summary>
    public static UdpServer Start(IPEndPoint endpoint, int sockets, int batch, QueryProcessor processor, ClientFilter filter, Forwarder forwarder, ILogger logger)
    {
        var bound = new List<Socket>();
        try
        {
            for (var i = 0; i < Math.Max(1, sockets); i++)
            {
                var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                bound.Add(socket);
                SocketOptions.ReusePort(socket);
                socket.ReceiveBufferSize = 4 << 20;

                // Blocking calls wake at least this often to see a stop (closing a socket does not wake recvmmsg).
                socket.ReceiveTimeout = 1000;
                socket.Bind(i == 0 ? endpoint : bound[0].LocalEndPoint!);
            }
        }
        catch
        {
            bound.ForEach(s => s.Dispose());
            throw;
        }

        var server = new UdpServer([.. bound], batch, processor, filter, forwarder, logger);
        foreach (var thread in server._threads)
        {
            thread.Start();
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var socket in _sockets)
        {
            // shutdown(2) wakes a thread blocked on the socket (Linux does so even for an unconnected UDP socket, though
            // it answers ENOTCONN); only then is the descriptor closed, when no thread can be in a call on it.
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
        }

        foreach (var thread in _threads)
        {
            thread.Join();
        }

        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _stop.Dispose();
    }

    private void Receive(Socket socket, QueryStats stats)
    {
        var message = GC.AllocateArray<byte>(MaxDatagram, pinned: true);
        var response = GC.AllocateArray<byte>(MaxDatagram, pinned: true);
        var client = new SocketAddress(socket.AddressFamily);
        while (!_stop.IsCancellationRequested)
        {
            int read;
            try
            {
                read = socket.ReceiveFrom(message, SocketFlags.None, client);
            }
            catch (SocketException e) when (!_stop.IsCancellationRequested && e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.MessageSize or SocketError.TimedOut or SocketError.WouldBlock)
            {
                // ICMP errors for earlier replies; nothing to do.
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            var started = Stopwatch.GetTimestamp();
            var action = _processor.Process(message.AsSpan(0, read), response, tcp: false, _filter.IsAllowed(client), out var query, out var length);
            if (action == QueryAction.Respond)
            {
                Send(socket, response.AsSpan(0, length), client);
                stats.Record(query.Type, response[3] & 0xF, started);
            }
            else if (action is QueryAction.Forward or QueryAction.Chase)
            {
                Forward(socket, message.AsSpan(0, read), action, query, client, started);
            }
        }
    }

    private void ReceiveBatches(Socket socket, int capacity, QueryStats stats)
    {
        using var batch = new MessageBatch(capacity, Math.Max(512, (int)_processor.UdpSize));
        var fd = (int)socket.SafeHandle.DangerousGetHandle();
        Span<ushort> types = stackalloc ushort[capacity];
        Span<byte> rcodes = stackalloc byte[capacity];
        while (!_stop.IsCancellationRequested)
        {
            var count = batch.Receive(fd, out var failure);
            if (count < 0)
            {
                if (failure == MessageBatch.Failure.Closed)
                {
                    return;
                }

                continue;
            }

            var started = Stopwatch.GetTimestamp();
            var queued = 0;
            for (var i = 0; i < count; i++)
            {
                var message = batch.Query(i);
                var response = batch.Response(i);
                var action = _processor.Process(message, response, tcp: false, _filter.IsAllowed(batch.Sender(i)), out var query, out var length);
                if (action == QueryAction.Respond)
                {
                    batch.Queue(queued, i, length);
                    types[queued] = query.Type;
                    rcodes[queued++] = (byte)(response[3] & 0xF);
                }
                else if (action is QueryAction.Forward or QueryAction.Chase)
                {
                    Forward(socket, message, action, query, Address(batch.Sender(i)), started);
                }
            }

            batch.Send(fd, queued);
            for (var i = 0; i < queued; i++)
            {
                stats.Record(types[i], rcodes[i], started);
            }
        }
    }

    private static SocketAddress Address(ReadOnlySpan<byte> sockaddr)
    {
        var address = new SocketAddress(BitConverter.ToUInt16(sockaddr) == 10 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, sockaddr.Length);
        sockaddr.CopyTo(address.Buffer.Span);
        return address;
    }

    private void Forward(Socket socket, ReadOnlySpan<byte> message, QueryAction action, Wire.DnsQuery query, SocketAddress client, long started)
    {
        var copy = message.ToArray();
        var from = new SocketAddress(client.Family, client.Size);
        client.Buffer.CopyTo(from.Buffer);
        if (Interlocked.Increment(ref _inFlight) > MaxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            var response = new byte[Wire.ResponseWriter.OptLength + query.QuestionEnd];
            var length = Wire.ResponseWriter.WriteEmpty(copy, query, Wire.ResponseCode.ServFail, authoritative: false, truncated: false, response, _processor.UdpSize);
            Send(socket, response.AsSpan(0, length), from);
            return;
        }

        _ = ForwardAsync(socket, copy, action, query, from, started);
    }

    private async Task ForwardAsync(Socket socket, byte[] message, QueryAction action, Wire.DnsQuery query, SocketAddress client, long started)
    {
        var response = new byte[MaxDatagram];
        try
        {
            var limit = Wire.ResponseWriter.Limit(query, tcp: false, _processor.UdpSize);
            var length = await Upstream.AnswerAsync(_forwarder, _processor, action, message, query, response, limit, _stop.Token).ConfigureAwait(false);
            Send(socket, response.AsSpan(0, length), client);
            ForwardStats.Record(query.Type, response[3] & 0xF, started);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }
        catch (Exception e)
        {
            Log.ForwardFailed(_logger, e);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void Send(Socket socket, ReadOnlySpan<byte> response, SocketAddress client)
    {
        try
        {
            socket.SendTo(response, SocketFlags.None, client);
        }
        catch (SocketException)
        {
            // The client went away (or its buffer is full): UDP makes no promise, and the client retries.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5120, Level = LogLevel.Error, Message = "Forwarding a UDP query failed")]
        public static partial void ForwardFailed(ILogger logger, Exception exception);
    }
}
