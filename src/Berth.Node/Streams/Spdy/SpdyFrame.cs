namespace Berth.Node.Streams.Spdy;

/// <summary>One SPDY/3.1 frame (draft 3.1 section 2.2). Only the frames a port-forward conversation uses are modelled.</summary>
internal abstract record SpdyFrame;

/// <summary>DATA: bytes of one stream; <see cref="Fin"/> half-closes the sender's side.</summary>
internal sealed record SpdyDataFrame(uint StreamId, bool Fin, ReadOnlyMemory<byte> Data) : SpdyFrame;

/// <summary>SYN_STREAM (type 1): the peer opens a stream.</summary>
internal sealed record SpdySynStreamFrame(uint StreamId, uint AssociatedStreamId, byte Priority, bool Fin, IReadOnlyList<KeyValuePair<string, string>> Headers) : SpdyFrame
{
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key == name).Value;
}

/// <summary>SYN_REPLY (type 2): the answer to a SYN_STREAM.</summary>
internal sealed record SpdySynReplyFrame(uint StreamId, bool Fin, IReadOnlyList<KeyValuePair<string, string>> Headers) : SpdyFrame;

/// <summary>RST_STREAM (type 3): the stream is aborted.</summary>
internal sealed record SpdyRstStreamFrame(uint StreamId, uint Status) : SpdyFrame;

/// <summary>PING (type 6): echoed unchanged when the peer sent it.</summary>
internal sealed record SpdyPingFrame(uint Id) : SpdyFrame;

/// <summary>GOAWAY (type 7): the peer opens no more streams.</summary>
internal sealed record SpdyGoAwayFrame(uint LastGoodStreamId, uint Status) : SpdyFrame;

/// <summary>Any other control frame (SETTINGS, WINDOW_UPDATE, HEADERS, …): read and ignored; spdystream has no flow control.</summary>
internal sealed record SpdyOtherControlFrame(ushort Type) : SpdyFrame;
