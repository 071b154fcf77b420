using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Proxy.Tests.Infrastructure;

/// <summary>Clients on real sockets: what a connection to an entry point gives.</summary>
internal static class Probe
{
    public enum Outcome
    {
        Connected,
        Refused,

        /// <summary>Accepted and reset at once (a listener closing while the connection was queued on it).</summary>
        Reset,

        /// <summary>Neither accepted nor refused while the probe waited: the SYN was dropped.</summary>
        NoAnswer,
    }

    /// <summary>Connects (from <paramref name="from"/> if given) and reads the first line (a <see cref="NameServer"/>'s name).</summary>
    public static async Task<string> ReadNameAsync(IPEndPoint target, IPAddress? from = null)
    {
        using var socket = await ConnectAsync(target, from);
        return await ReadLineAsync(socket);
    }

    /// <summary><see cref="ReadNameAsync"/>, or null when the connection fails.</summary>
    public static async Task<string?> TryReadNameAsync(IPEndPoint target, IPAddress? from = null)
    {
        try
        {
            return await ReadNameAsync(target, from);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }

    public static async Task<Socket> ConnectAsync(IPEndPoint target, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (from is not null)
            {
                socket.Bind(new IPEndPoint(from, 0));
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(target, timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>What a connect to <paramref name="target"/> gives within <paramref name="wait"/>.</summary>
    public static async Task<Outcome> ConnectOutcomeAsync(IPEndPoint target, TimeSpan wait)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await socket.ConnectAsync(target, timeout.Token);
            return Outcome.Connected;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return Outcome.Refused;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return Outcome.Reset;
        }
        catch (OperationCanceledException)
        {
            return Outcome.NoAnswer;
        }
    }

    public static async Task<string> ReadLineAsync(Socket socket)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await socket.ReceiveAsync(one, SocketFlags.None, timeout.Token) == 1 && one[0] != '\n')
        {
            bytes.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. bytes]);
    }

    /// <summary>One UDP datagram from <paramref name="socket"/> and its answer, or null after <paramref name="wait"/>; ICMP errors throw.</summary>
    public static async Task<string?> UdpAsync(Socket socket, string message, TimeSpan wait)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes(message), SocketFlags.None);
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>A UDP socket connected to <paramref name="target"/> (so ICMP port unreachable reaches it as ECONNREFUSED).</summary>
    public static Socket Udp(IPEndPoint target, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(from ?? IPAddress.Loopback, 0));
        socket.Connect(target);
        return socket;
    }

    /// <summary>An HTTP GET on a new connection (<c>Connection: close</c>): the body.</summary>
    public static async Task<string> HttpGetAsync(IPEndPoint target, string path = "/")
    {
        using var socket = await ConnectAsync(target);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"), SocketFlags.None);
        var response = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            response.Write(buffer, 0, n);
        }

        var text = Encoding.UTF8.GetString(response.ToArray());
        var body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) || body < 0)
        {
            throw new IOException("not a 200 answer: " + text);
        }

        return text[(body + 4)..];
    }
}
