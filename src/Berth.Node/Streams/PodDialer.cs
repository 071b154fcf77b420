using System.Net;
using System.Net.Sockets;
using Berth.Node.Pods;

namespace Berth.Node.Streams;

/// <summary>Opens the TCP connection a port-forward carries: to the pod's IP and the requested port.</summary>
internal static class PodDialer
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The connected socket, or the error text the kubelet would put on the error stream.</summary>
    public static async Task<(Socket? Socket, string? Error)> ConnectAsync(RunningPod pod, int port, CancellationToken cancellationToken)
    {
        var prefix = $"error forwarding port {port} to pod {pod.Namespace}/{pod.Name}, uid {pod.Uid}: ";
        if (pod.PodIP is null || !IPAddress.TryParse(pod.PodIP, out var ip))
        {
            return (null, prefix + "the pod has no IP address yet");
        }

        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(ip, port), timeout.Token).ConfigureAwait(false);
            return (socket, null);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            var why = e.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : e.Message;
            return (null, prefix + $"dial tcp {new IPEndPoint(ip, port)}: connect: {why}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            return (null, prefix + $"dial tcp {new IPEndPoint(ip, port)}: i/o timeout");
        }
    }

    /// <summary>Parses a port of a port-forward request; <c>null</c> when it is not 1–65535.</summary>
    public static int? ParsePort(string? text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : null;
}
