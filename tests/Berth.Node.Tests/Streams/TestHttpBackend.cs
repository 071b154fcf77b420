using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Node.Tests.Streams;

/// <summary>
/// A tiny HTTP server on a pod IP: every request is answered with <c>{name}: {method} {target} {body}</c> and the
/// connection closed. Serves port-forward (real TCP bytes) and proxy tests.
/// </summary>
internal sealed class TestHttpBackend : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TestHttpBackend(string ip, string name)
    {
        _listener = new TcpListener(IPAddress.Parse(ip), 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Name = name;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public string Name { get; }

    /// <summary>Sends a request over <paramref name="stream"/> (e.g. a port-forward) and returns the whole answer.</summary>
    public static async Task<string> GetAsync(Stream stream, string path)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"));
        await stream.FlushAsync();
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            answer.Write(buffer, 0, n);
            var text = Encoding.ASCII.GetString(answer.ToArray());
            var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headEnd > 0 && text.Contains("Content-Length: ", StringComparison.Ordinal))
            {
                var lengthStart = text.IndexOf("Content-Length: ", StringComparison.Ordinal) + 16;
                var length = int.Parse(text[lengthStart..text.IndexOf('\r', lengthStart)], CultureInfo.InvariantCulture);
                if (answer.Length >= headEnd + 4 + length)
                {
                    return text;
                }
            }
        }

        return Encoding.ASCII.GetString(answer.ToArray());
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        using (var stream = new NetworkStream(socket))
        {
            try
            {
                var received = new MemoryStream();
                var buffer = new byte[4096];
                int headEnd;
                while ((headEnd = Encoding.ASCII.GetString(received.ToArray()).IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    received.Write(buffer, 0, n);
                }

                var head = Encoding.ASCII.GetString(received.ToArray(), 0, headEnd);
                var lines = head.Split("\r\n");
                var length = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(p => int.Parse(p[1].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
                while (received.Length < headEnd + 4 + length)
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0)
                    {
                        break;
                    }

                    received.Write(buffer, 0, n);
                }

                var body = Encoding.UTF8.GetString(received.ToArray(), headEnd + 4, (int)received.Length - headEnd - 4);
                var requestLine = lines[0].Split(' ');
                var answer = Encoding.UTF8.GetBytes($"{Name}: {requestLine[0]} {requestLine[1]} {body}");
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Backend: {Name}\r\nContent-Length: {answer.Length}\r\nConnection: close\r\n\r\n"), _stop.Token);
                await stream.WriteAsync(answer, _stop.Token);
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
