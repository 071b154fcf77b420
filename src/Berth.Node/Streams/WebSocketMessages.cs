using System.Net.WebSockets;

namespace Berth.Node.Streams;

/// <summary>Receives whole WebSocket messages (on an exec connection, each frame is one: see <see cref="FrameSplittingStream"/>).</summary>
internal static class WebSocketMessages
{
    /// <summary>
    /// Messages larger than this end the session: golang.org/x/net/websocket's <c>DefaultMaxPayloadBytes</c> (32 &lt;&lt;
    /// 20), the kubelet's limit per frame, which the C# client's 15 MiB stdin frames stay under.
    /// </summary>
    public const int MaxMessageBytes = 32 << 20;

    /// <summary>The next whole data message, or <c>null</c> when the peer closed or the connection broke.</summary>
    public static async Task<byte[]?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException)
            {
                return null;
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (message.Length > MaxMessageBytes)
            {
                return null;
            }

            if (result.EndOfMessage)
            {
                return message.ToArray();
            }
        }
    }
}
