using System.Net;
using System.Net.Sockets;

namespace Berth.Agnhost.Tests.Infrastructure;

/// <summary>A fresh 127.0.0.x per use, so tests running in parallel never share an address (POD_IP style).</summary>
internal static class TestAddresses
{
    private static int _next;

    public static IPAddress Next() => new([127, 0, 0, (byte)(20 + (Interlocked.Increment(ref _next) % 230))]);

    /// <summary>A port free for both TCP and UDP on <paramref name="address"/> right now.</summary>
    public static int FreePort(IPAddress address)
    {
        while (true)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(address, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(address, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }

    public static HttpClient HttpClient() => new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Sends one datagram from <paramref name="from"/> and returns the answer (or null after 5 s).</summary>
    public static async Task<string?> UdpAsync(IPEndPoint to, string message, IPAddress? from = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(from ?? IPAddress.Loopback, 0));
        await socket.SendToAsync(System.Text.Encoding.UTF8.GetBytes(message), to);
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, received.ReceivedBytes);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
