using System.Net.WebSockets;

namespace Berth.Node.Streams;

/// <summary>Sends channel-prefixed binary messages on a WebSocket; sends never overlap.</summary>
internal sealed class ChannelWriter : IDisposable
{
    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _lock = new(1, 1);

    public ChannelWriter(WebSocket socket)
    {
        _socket = socket;
    }

    public async Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var message = new byte[data.Length + 1];
        message[0] = channel;
        data.CopyTo(message.AsMemory(1));
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="channel"/> until it ends (a pty's hang-up counts as the end).</summary>
    public async Task PumpAsync(Stream source, byte? channel, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return; // EIO on a pty master once the terminal's last user is gone
            }

            if (n == 0)
            {
                return;
            }

            if (channel is { } c)
            {
                await SendAsync(c, buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends a close frame (normal closure) unless the socket is already closing.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();
}
