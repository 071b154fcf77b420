using System.Buffers.Binary;

namespace Berth.Node.Streams.Spdy;

/// <summary>
/// Reads SPDY/3.1 frames from a byte stream (draft 3.1 section 2.2): control frames start with the bit set,
/// version 3 and a type; data frames with a 31-bit stream id. Lengths are 24 bits.
/// </summary>
internal sealed class SpdyFrameReader
{
    private const int HeaderLength = 8;

    private readonly Stream _stream;
    private readonly SpdyHeaderDecoder _headers = new();
    private readonly byte[] _header = new byte[HeaderLength];

    public SpdyFrameReader(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>The next frame, or <c>null</c> at a clean end of stream (between frames).</summary>
    public async ValueTask<SpdyFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        var got = await _stream.ReadAtLeastAsync(_header, HeaderLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            return null;
        }

        if (got < HeaderLength)
        {
            throw new SpdyProtocolException("the connection ended inside a SPDY frame header");
        }

        var flags = _header[4];
        var length = (_header[5] << 16) | (_header[6] << 8) | _header[7];
        var payload = new byte[length];
        await _stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
        return Parse(_header, flags, payload, _headers);
    }

    /// <summary>Parses one frame whose 8-byte header and payload have been read.</summary>
    public static SpdyFrame Parse(ReadOnlySpan<byte> header, byte flags, byte[] payload, SpdyHeaderDecoder headers)
    {
        var first = BinaryPrimitives.ReadUInt32BigEndian(header);
        if ((first & 0x8000_0000) == 0)
        {
            return new SpdyDataFrame(first & 0x7FFF_FFFF, (flags & SpdyFlags.Fin) != 0, payload);
        }

        var version = (ushort)((first >> 16) & 0x7FFF);
        var type = (ushort)(first & 0xFFFF);
        if (version != 3)
        {
            throw new SpdyProtocolException($"unsupported SPDY version {version}");
        }

        var fin = (flags & SpdyFlags.Fin) != 0;
        return type switch
        {
            SpdyFrameTypes.SynStream => ParseSynStream(payload, fin, headers),
            SpdyFrameTypes.SynReply => new SpdySynReplyFrame(StreamId(Need(payload, 4, "SYN_REPLY")), fin, headers.Decode(payload.AsSpan(4))),
            SpdyFrameTypes.RstStream => new SpdyRstStreamFrame(StreamId(Need(payload, 8, "RST_STREAM")), U32(payload, 4)),
            SpdyFrameTypes.Ping => new SpdyPingFrame(U32(Need(payload, 4, "PING"), 0)),
            SpdyFrameTypes.GoAway => new SpdyGoAwayFrame(StreamId(Need(payload, 8, "GOAWAY")), U32(payload, 4)),
            SpdyFrameTypes.Headers => DecodeAndIgnore(Need(payload, 4, "HEADERS"), type, headers),
            _ => new SpdyOtherControlFrame(type),
        };
    }

    private static SpdySynStreamFrame ParseSynStream(byte[] payload, bool fin, SpdyHeaderDecoder headers)
    {
        Need(payload, 10, "SYN_STREAM");
        var id = StreamId(payload);
        var associated = U32(payload, 4) & 0x7FFF_FFFF;
        var priority = (byte)(payload[8] >> 5);
        if (id == 0)
        {
            throw new SpdyProtocolException("SYN_STREAM with stream id 0");
        }

        return new SpdySynStreamFrame(id, associated, priority, fin, headers.Decode(payload.AsSpan(10)));
    }

    /// <summary>A HEADERS frame still advances the shared zlib stream, so it must be inflated even though it is ignored.</summary>
    private static SpdyOtherControlFrame DecodeAndIgnore(byte[] payload, ushort type, SpdyHeaderDecoder headers)
    {
        headers.Decode(payload.AsSpan(4));
        return new SpdyOtherControlFrame(type);
    }

    private static uint StreamId(byte[] payload) => U32(payload, 0) & 0x7FFF_FFFF;

    private static uint U32(byte[] payload, int offset) => BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(offset));

    private static byte[] Need(byte[] payload, int length, string what) =>
        payload.Length >= length ? payload : throw new SpdyProtocolException($"a SPDY {what} frame is too short ({payload.Length} bytes)");
}
