using System.Buffers.Binary;

namespace Berth.Node.Streams.Spdy;

/// <summary>
/// Writes SPDY/3.1 frames. Every stream of a session writes through one writer: frames are serialized by a lock,
/// and header blocks are compressed inside it, because the peer inflates them in the order they arrive.
/// </summary>
internal sealed class SpdyFrameWriter : IDisposable
{
    /// <summary>Data frames carry at most this many bytes (SPDY allows 16 MiB; small frames keep streams fair).</summary>
    public const int MaxDataPayload = 32 * 1024;

    private readonly Stream _stream;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly SpdyHeaderEncoder _headers = new();

    public SpdyFrameWriter(Stream stream)
    {
        _stream = stream;
    }

    public Task WriteSynReplyAsync(uint streamId, bool fin, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken) =>
        WriteLockedAsync(
            () =>
            {
                var block = _headers.Encode(headers);
                var frame = new byte[8 + 4 + block.Length];
                WriteControlHeader(frame, SpdyFrameTypes.SynReply, fin ? SpdyFlags.Fin : (byte)0, 4 + block.Length);
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), streamId & 0x7FFF_FFFF);
                block.CopyTo(frame, 12);
                return frame;
            },
            cancellationToken);

    public Task WriteRstStreamAsync(uint streamId, uint status, CancellationToken cancellationToken) =>
        WriteLockedAsync(() => Fixed(SpdyFrameTypes.RstStream, streamId & 0x7FFF_FFFF, status), cancellationToken);

    public Task WritePingAsync(uint id, CancellationToken cancellationToken) =>
        WriteLockedAsync(
            () =>
            {
                var frame = new byte[12];
                WriteControlHeader(frame, SpdyFrameTypes.Ping, 0, 4);
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), id);
                return frame;
            },
            cancellationToken);

    public Task WriteGoAwayAsync(uint lastGoodStreamId, uint status, CancellationToken cancellationToken) =>
        WriteLockedAsync(() => Fixed(SpdyFrameTypes.GoAway, lastGoodStreamId & 0x7FFF_FFFF, status), cancellationToken);

    /// <summary>Writes <paramref name="data"/> as one or more DATA frames; <paramref name="fin"/> marks the last.</summary>
    public async Task WriteDataAsync(uint streamId, ReadOnlyMemory<byte> data, bool fin, CancellationToken cancellationToken)
    {
        do
        {
            var chunk = data[..Math.Min(data.Length, MaxDataPayload)];
            data = data[chunk.Length..];
            var last = data.IsEmpty;
            await WriteLockedAsync(() => DataFrame(streamId, chunk.Span, fin && last), cancellationToken).ConfigureAwait(false);
        }
        while (!data.IsEmpty);
    }

    public static byte[] DataFrame(uint streamId, ReadOnlySpan<byte> data, bool fin)
    {
        var frame = new byte[8 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, streamId & 0x7FFF_FFFF);
        WriteFlagsAndLength(frame, fin ? SpdyFlags.Fin : (byte)0, data.Length);
        data.CopyTo(frame.AsSpan(8));
        return frame;
    }

    public static void WriteControlHeader(Span<byte> frame, ushort type, byte flags, int length)
    {
        BinaryPrimitives.WriteUInt16BigEndian(frame, 0x8003);
        BinaryPrimitives.WriteUInt16BigEndian(frame[2..], type);
        WriteFlagsAndLength(frame, flags, length);
    }

    private static void WriteFlagsAndLength(Span<byte> frame, byte flags, int length)
    {
        if (length is < 0 or > 0xFF_FFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "a SPDY frame payload is at most 16 MiB");
        }

        frame[4] = flags;
        frame[5] = (byte)(length >> 16);
        frame[6] = (byte)(length >> 8);
        frame[7] = (byte)length;
    }

    private static byte[] Fixed(ushort type, uint a, uint b)
    {
        var frame = new byte[16];
        WriteControlHeader(frame, type, 0, 8);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), a);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(12), b);
        return frame;
    }

    private async Task WriteLockedAsync(Func<byte[]> build, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var frame = build();
            await _stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _headers.Dispose();
        _lock.Dispose();
    }
}
