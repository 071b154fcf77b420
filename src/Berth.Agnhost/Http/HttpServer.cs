using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Berth.Agnhost.Http;

/// <summary>
/// A small HTTP/1.1 server on a raw socket (no Kestrel: an agnhost pod is a process of its own, and this starts in a
/// few milliseconds with little memory). Keep-alive, optional TLS, Go's graceful <c>Shutdown</c>: stop accepting,
/// close idle connections, let busy ones finish their answer.
/// </summary>
internal sealed class HttpServer : IDisposable
{
    private readonly Socket _listener;
    private readonly RequestHandler _handler;
    private readonly object? _certificate;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<HttpConnection, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _shuttingDown;

    private HttpServer(Socket listener, RequestHandler handler, object? certificate, TimeProvider time)
    {
        _listener = listener;
        _handler = handler;
        _certificate = certificate;
        _time = time;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    internal bool ShuttingDown => _shuttingDown;

    internal RequestHandler Handler => _handler;

    /// <summary>An <c>X509Certificate2</c> for HTTPS, typed object so plain HTTP loads no crypto assembly.</summary>
    internal object? Certificate => _certificate;

    internal TimeProvider Time => _time;

    /// <summary>Binds and listens; a <see cref="SocketException"/> when the address is taken or not local.</summary>
    public static HttpServer Listen(IPEndPoint endPoint, RequestHandler handler, object? certificate, TimeProvider time)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endPoint);
            socket.Listen(512);
            return new HttpServer(socket, handler, certificate, time);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Accepts until <see cref="Shutdown"/>, <see cref="Abort"/> or cancellation.</summary>
    public async Task ServeAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || (e is SocketException && linked.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException)
            {
                // Go's Serve sleeps and retries on a temporary accept error (e.g. out of file descriptors).
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, linked.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                continue;
            }

            client.NoDelay = true;
            var connection = new HttpConnection(this, client);
            _connections[connection] = 0;
            _ = RunConnectionAsync(connection);
        }
    }

    /// <summary>Go's <c>Server.Shutdown</c>: true when every connection closed within <paramref name="timeout"/>.</summary>
    public async Task<bool> ShutdownAsync(TimeSpan timeout)
    {
        _shuttingDown = true;
        StopListening();
        foreach (var connection in _connections.Keys)
        {
            connection.CloseIfIdle();
        }

        if (_connections.IsEmpty)
        {
            return true;
        }

        try
        {
            await _drained.Task.WaitAsync(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, _time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Closes the listener and every connection at once (Go's <c>os.Exit</c>).</summary>
    public void Abort()
    {
        _shuttingDown = true;
        StopListening();
        foreach (var connection in _connections.Keys)
        {
            connection.Close();
        }
    }

    public void Dispose()
    {
        Abort();
        _stopping.Dispose();
    }

    private void StopListening()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _listener.Dispose();
    }

    private async Task RunConnectionAsync(HttpConnection connection)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            if (_shuttingDown && _connections.IsEmpty)
            {
                _drained.TrySetResult();
            }
        }
    }
}
