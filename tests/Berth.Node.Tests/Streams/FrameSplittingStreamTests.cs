using System.Net.WebSockets;
using Berth.Node.Streams;

namespace Berth.Node.Tests.Streams;

public sealed class FrameSplittingStreamTests
{
    // Frames as a client writes them (masked): .NET's client WebSocket, one frame per SendAsync.
    private static async Task<byte[]> ClientFramesAsync(params (byte[] Payload, bool EndOfMessage)[] frames)
    {
        var wire = new MemoryStream();
        using var client = WebSocket.CreateFromStream(wire, new WebSocketCreationOptions { IsServer = false });
        foreach (var (payload, end) in frames)
        {
            await client.SendAsync(payload, WebSocketMessageType.Binary, end, CancellationToken.None);
        }

        return wire.ToArray();
    }

    private static async Task<List<byte[]>> ServerMessagesAsync(Stream wire)
    {
        using var server = WebSocket.CreateFromStream(new FrameSplittingStream(wire), new WebSocketCreationOptions { IsServer = true });
        var messages = new List<byte[]>();
        while (await WebSocketMessages.ReceiveAsync(server, CancellationToken.None) is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1 << 20)]
    public async Task Read_ContinuationFrames_EachFrameIsItsOwnMessage(int readSize)
    {
        var small = new byte[] { 0, 1, 2, 3 };
        var medium = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray(); // 16-bit length
        var large = new byte[70_000]; // 64-bit length
        large[0] = 4;
        var wire = await ClientFramesAsync((small, false), (medium, false), (large, true), ([0, 9], true));

        var messages = await ServerMessagesAsync(new TrickleStream(wire, readSize));

        Assert.Equal(4, messages.Count);
        Assert.Equal(small, messages[0]);
        Assert.Equal(medium, messages[1]);
        Assert.Equal(large, messages[2]);
        Assert.Equal(new byte[] { 0, 9 }, messages[3]);
    }

    /// <summary>A read-only stream that gives at most <c>readSize</c> bytes per read, then ends.</summary>
    private sealed class TrickleStream(byte[] data, int readSize) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, readSize), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = Math.Min(Math.Min(buffer.Length, readSize), data.Length - _position);
            data.AsMemory(_position, n).CopyTo(buffer);
            _position += n;
            return ValueTask.FromResult(n);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
