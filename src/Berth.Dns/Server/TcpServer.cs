using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Dns.Forwarding;
using Microsoft.Extensions.Logging;

namespace Berth.Dns.Server;

/// <summary>
/// DNS over TCP (RFC 7766): two-byte length prefix, any number of queries per connection answered in order, the
/// connection closed after <see cref="IdleTimeout"/> without a query, at most <see cref="MaxConnections"/> at once.
/// </summary>
internal sealed partial class TcpServer : IAsyncDisposable
{
    private const int MaxMessage = ushort.MaxValue;

    private readonly Socket _listener;
    private readonly QueryProcessor _processor;
    private readonly ClientFilter _filter;
    private readonly Forwarder _forwarder;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly HashSet<Task> _connections = [];
    private readonly Lock _gate = new();

    private TcpServer(Socket listener, QueryProcessor processor, ClientFilter filter, Forwarder forwarder, TimeSpan idleTimeout, ILogger logger)
    {
        _listener = listener;
        _processor = processor;
        _filter = filter;
        _forwarder = forwarder;
        _logger = logger;
        IdleTimeout = idleTimeout;
        Endpoint = (IPEndPoint)listener.LocalEndPoint!;
        _accepting = AcceptAsync();
    }

    public IPEndPoint Endpoint { get; }

    public TimeSpan IdleTimeout { get; }

    public int MaxConnections { get; init; } = 1000;

    public QueryStats Stats { get; } = new(shared: true);

    public static TcpServer Start(IPEndPoint endpoint, QueryProcessor processor, ClientFilter filter, Forwarder forwarder, TimeSpan idleTimeout, ILogger logger)
    {
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            SocketOptions.ReusePort(listener);
            listener.Bind(endpoint);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new TcpServer(listener, processor, filter, forwarder, idleTimeout, logger);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        Task[] open;
        lock (_gate)
        {
            open = [.. _connections];
        }

        await Task.WhenAll([_accepting, .. open]).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                Log.AcceptFailed(_logger, e.SocketErrorCode.ToString());
                continue;
            }

            lock (_gate)
            {
                if (_connections.Count >= MaxConnections)
                {
                    connection.Dispose();
                    continue;
                }

                var task = ServeAsync(connection);
                _connections.Add(task);
                _ = task.ContinueWith(
                    t =>
                    {
                        lock (_gate)
                        {
                            _connections.Remove(t);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        await Task.Yield();
        var message = ArrayPool<byte>.Shared.Rent(MaxMessage);
        var response = ArrayPool<byte>.Shared.Rent(MaxMessage + 2);
        try
        {
            connection.NoDelay = true;
            var allowed = connection.RemoteEndPoint is IPEndPoint remote && _filter.IsAllowed(remote.Address);
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                idle.CancelAfter(IdleTimeout);
                if (!await ReadExactlyAsync(connection, message.AsMemory(0, 2), idle.Token).ConfigureAwait(false))
                {
                    return;
                }

                var length = BinaryPrimitives.ReadUInt16BigEndian(message);
                if (!await ReadExactlyAsync(connection, message.AsMemory(0, length), idle.Token).ConfigureAwait(false))
                {
                    return;
                }

                var started = Stopwatch.GetTimestamp();
                var action = _processor.Process(message.AsSpan(0, length), response.AsSpan(2), tcp: true, allowed, out var query, out var written);
                if (action == QueryAction.Drop)
                {
                    continue;
                }

                if (action is QueryAction.Forward or QueryAction.Chase)
                {
                    written = await Upstream.AnswerAsync(_forwarder, _processor, action, message.AsMemory(0, length), query, response.AsMemory(2), ushort.MaxValue, _stop.Token).ConfigureAwait(false);
                }

                BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)written);
                await connection.SendAsync(response.AsMemory(0, written + 2), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                Stats.Record(query.Type, response[5] & 0xF, started);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Idle timeout, the client went away, or the server stops.
        }
        finally
        {
            connection.Dispose();
            ArrayPool<byte>.Shared.Return(message);
            ArrayPool<byte>.Shared.Return(response);
        }
    }

    /// <summary>Fills <paramref name="buffer"/>; false when the client closed the connection first.</summary>
    private static async Task<bool> ReadExactlyAsync(Socket connection, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (buffer.Length > 0)
        {
            var read = await connection.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            buffer = buffer[read..];
        }

        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5125, Level = LogLevel.Warning, Message = "Accepting a DNS connection failed: {Error}")]
        public static partial void AcceptFailed(ILogger logger, string error);
    }
}
