using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Berth.Node.Pods;

namespace Berth.Node.Streams;

/// <summary>
/// The WebSocket port-forward protocol of the kubelet and the C# client (<c>?ports=80,…</c>, no subprotocol or
/// <c>v4.channel.k8s.io</c>): for port index i, channel 2i carries data and 2i+1 errors; the server's first message
/// on each channel is the port as a little-endian u16 (kubelet pkg/kubelet/cri/streaming/portforward/websocket.go).
/// The WebSocket closes once every port's pod side has closed.
/// </summary>
internal static class WebSocketPortForwarder
{
    private static readonly TimeSpan _closeTimeout = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(WebSocket webSocket, RunningPod pod, IReadOnlyList<int> ports, CancellationToken cancellationToken)
    {
        using var channels = new ChannelWriter(webSocket);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sockets = new Socket?[ports.Count];
        try
        {
            for (var i = 0; i < ports.Count; i++)
            {
                var portBytes = new byte[2];
                BinaryPrimitives.WriteUInt16LittleEndian(portBytes, (ushort)ports[i]);
                await channels.SendAsync((byte)(2 * i), portBytes, cancellationToken).ConfigureAwait(false);
                await channels.SendAsync((byte)((2 * i) + 1), portBytes, cancellationToken).ConfigureAwait(false);
            }

            var fromPod = new Task[ports.Count];
            for (var i = 0; i < ports.Count; i++)
            {
                var (socket, error) = await PodDialer.ConnectAsync(pod, ports[i], cancellationToken).ConfigureAwait(false);
                sockets[i] = socket;
                if (socket is null)
                {
                    await channels.SendAsync((byte)((2 * i) + 1), Encoding.UTF8.GetBytes(error!), cancellationToken).ConfigureAwait(false);
                    fromPod[i] = Task.CompletedTask;
                    continue;
                }

                var channel = (byte)(2 * i);
                fromPod[i] = Task.Run(() => CopyFromPodAsync(socket, channels, channel, stop.Token), CancellationToken.None);
            }

            var receive = ReceiveAsync(webSocket, sockets, stop);
            await Task.WhenAny(Task.WhenAll(fromPod), receive).ConfigureAwait(false);
            await channels.CloseAsync(cancellationToken).ConfigureAwait(false);
            // Wait for the client's close frame: cancelling a receive aborts the connection, and a reset could
            // destroy the last bytes sent before the client has read them.
            await Task.WhenAny(receive, Task.Delay(_closeTimeout, cancellationToken)).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(fromPod).ConfigureAwait(false);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }
        }
    }

    private static async Task CopyFromPodAsync(Socket socket, ChannelWriter channels, byte channel, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await channels.SendAsync(channel, buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task ReceiveAsync(WebSocket webSocket, Socket?[] sockets, CancellationTokenSource stop)
    {
        while (await WebSocketMessages.ReceiveAsync(webSocket, stop.Token).ConfigureAwait(false) is { } message)
        {
            if (message.Length < 2 || message[0] % 2 != 0 || message[0] / 2 >= sockets.Length || sockets[message[0] / 2] is not { } socket)
            {
                continue; // error channels are server → client only
            }

            try
            {
                await socket.SendAsync(message.AsMemory(1), SocketFlags.None, stop.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
            }
        }

        await stop.CancelAsync().ConfigureAwait(false);
    }
}
