using System.Net;
using System.Net.Sockets;

namespace Berth.Client.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of a server. <see cref="Freeze"/> makes the connections open at that moment go
/// silent — bytes are dropped both ways, the sockets stay open — as a connection does when a network path dies
/// without a reset; connections opened afterwards relay normally.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Connection> _connections = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;

    public TcpRelay(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections the relay has accepted.</summary>
    public int Accepted
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count;
            }
        }
    }

    public void Freeze()
    {
        lock (_gate)
        {
            foreach (var c in _connections)
            {
                c.Frozen = true;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Task[] pumps;
        lock (_gate)
        {
            pumps = [.. _connections.SelectMany(c => c.Pumps)];
        }

        await Task.WhenAll([_accepting, .. pumps]);
        lock (_gate)
        {
            foreach (var c in _connections)
            {
                c.Client.Dispose();
                c.Server.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient();
                await server.ConnectAsync(_target, _stop.Token);
                var connection = new Connection(client, server);
                connection.Pumps = [PumpAsync(connection, client.GetStream(), server.GetStream()), PumpAsync(connection, server.GetStream(), client.GetStream())];
                lock (_gate)
                {
                    _connections.Add(connection);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Connection connection, NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (!connection.Frozen)
                {
                    await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                }
            }

            // One side closed: pass the close on (unless frozen: a dead path carries no FIN either).
            if (!connection.Frozen)
            {
                connection.Client.Client.Shutdown(SocketShutdown.Both);
                connection.Server.Client.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private sealed class Connection(TcpClient client, TcpClient server)
    {
        public TcpClient Client { get; } = client;

        public TcpClient Server { get; } = server;

        public volatile bool Frozen;

        public Task[] Pumps { get; set; } = [];
    }
}
