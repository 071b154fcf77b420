using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Proxy.Tests.Infrastructure;

/// <summary>
/// An endpoint in the test process: on TCP it writes its name and a newline to every connection, then echoes what it
/// receives until the client ends; on UDP it answers every datagram with its name. Real sockets on a real address.
/// </summary>
internal sealed class NameServer : IAsyncDisposable
{
    private readonly Socket? _tcp;
    private readonly Socket? _udp;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _connections = [];

    private NameServer(string name, IPEndPoint endPoint, bool tcp, bool udp)
    {
        Name = name;
        EndPoint = endPoint;
        if (tcp)
        {
            _tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _tcp.Bind(endPoint);
            _tcp.Listen(128);
            _ = AcceptAsync();
        }

        if (udp)
        {
            _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _udp.Bind(endPoint);
            _ = AnswerAsync();
        }
    }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>The first bytes of each connection, if a test wants to see them (PROXY protocol).</summary>
    public List<byte[]> FirstBytes { get; } = [];

    public static NameServer Start(string name, IPAddress address, int port, bool tcp = true, bool udp = false) =>
        new(name, new IPEndPoint(address, port), tcp, udp);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _tcp?.Dispose();
        _udp?.Dispose();
        lock (_connections)
        {
            foreach (var c in _connections)
            {
                c.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _tcp!.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.Add(client);
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            await client.SendAsync(Encoding.ASCII.GetBytes(Name + "\n"), SocketFlags.None, _stop.Token);
            var buffer = new byte[4096];
            var first = true;
            int n;
            while ((n = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                if (first)
                {
                    lock (FirstBytes)
                    {
                        FirstBytes.Add(buffer[..n]);
                    }

                    first = false;
                }

                await client.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
            }

            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task AnswerAsync()
    {
        var buffer = new byte[65536];
        var name = Encoding.ASCII.GetBytes(Name);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var received = await _udp!.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                await _udp.SendToAsync(name, SocketFlags.None, received.RemoteEndPoint, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
            }
        }
    }
}
