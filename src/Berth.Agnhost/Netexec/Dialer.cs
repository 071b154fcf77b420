using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Agnhost.Go;

namespace Berth.Agnhost.Netexec;

/// <summary>
/// The dials of netexec's <c>/dial</c>: one new connection per try (Go makes a new transport each time, so every
/// try goes through a Service's load balancing on its own), 5 s timeout, errors in Go's words. A dial to a loopback
/// address leaves from the pod IP, as a pod's traffic does in Kubernetes (the kernel would pick 127.0.0.1).
/// </summary>
internal sealed class Dialer(IPAddress? podIP, TimeProvider time)
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(5);

    public async Task<DialOutcome> HttpAsync(string request, IPEndPoint target, CancellationToken cancellationToken)
    {
        var url = "http://" + GoText.HostPort(target.Address, target.Port) + "/" + request;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return DialOutcome.Failed("parse " + GoText.Quote(url) + ": invalid URL");
        }

        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = (context, token) => ConnectAsync(target, token),
        };
        using var client = new HttpClient(handler) { Timeout = _timeout };
        try
        {
            using var response = await client.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return new DialOutcome(Encoding.UTF8.GetString(body), null);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DialOutcome.Failed("Get " + GoText.Quote(url) + ": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }
        catch (HttpRequestException e)
        {
            return DialOutcome.Failed("Get " + GoText.Quote(url) + ": " + Describe(e, target));
        }
    }

    public async Task<DialOutcome> UdpAsync(string request, IPEndPoint target, CancellationToken cancellationToken)
    {
        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            BindToPodIP(socket, target);
            socket.Connect(target);
        }
        catch (SocketException e)
        {
            return DialOutcome.Failed("udp dial failed. err:dial udp " + GoText.Address(target) + ": " + GoText.Errno(e.SocketErrorCode));
        }

        var pair = "udp " + GoText.Address(socket.LocalEndPoint) + "->" + GoText.Address(target);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(request), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return DialOutcome.Failed("udp connection write failed. err:write " + pair + ": write: " + GoText.Errno(e.SocketErrorCode));
        }

        var buffer = new byte[65536];
        using var deadline = new CancellationTokenSource(_timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        int count;
        try
        {
            count = await socket.ReceiveAsync(buffer, SocketFlags.None, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DialOutcome.Failed("reading from udp connection failed. err:'read " + pair + ": i/o timeout'");
        }
        catch (SocketException e)
        {
            return DialOutcome.Failed("reading from udp connection failed. err:'read " + pair + ": read: " + GoText.Errno(e.SocketErrorCode) + "'");
        }

        // Go reads into 2048 bytes.
        return count == 0
            ? DialOutcome.Failed("reading from udp connection failed. err:'<nil>'")
            : new DialOutcome(Encoding.UTF8.GetString(buffer, 0, Math.Min(count, 2048)), null);
    }

    private async ValueTask<Stream> ConnectAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            BindToPodIP(socket, target);
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void BindToPodIP(Socket socket, IPEndPoint target)
    {
        if (podIP is not null && IPAddress.IsLoopback(target.Address) && IPAddress.IsLoopback(podIP) && podIP.AddressFamily == target.AddressFamily)
        {
            socket.Bind(new IPEndPoint(podIP, 0));
        }
    }

    private static string Describe(HttpRequestException e, IPEndPoint target)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socketError)
            {
                return e.HttpRequestError == HttpRequestError.ConnectionError
                    ? "dial tcp " + GoText.Address(target) + ": connect: " + GoText.Errno(socketError.SocketErrorCode)
                    : "read tcp " + GoText.Address(target) + ": read: " + GoText.Errno(socketError.SocketErrorCode);
            }
        }

        return e.HttpRequestError == HttpRequestError.ResponseEnded ? "EOF" : e.Message;
    }
}
