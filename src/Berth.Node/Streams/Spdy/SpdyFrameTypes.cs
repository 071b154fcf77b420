namespace Berth.Node.Streams.Spdy;

/// <summary>SPDY/3.1 control frame types (draft 3.1 section 2.6).</summary>
internal static class SpdyFrameTypes
{
    public const ushort SynStream = 1;
    public const ushort SynReply = 2;
    public const ushort RstStream = 3;
    public const ushort Settings = 4;
    public const ushort Ping = 6;
    public const ushort GoAway = 7;
    public const ushort Headers = 8;
    public const ushort WindowUpdate = 9;
}

/// <summary>SPDY/3.1 frame flags and RST_STREAM status codes used here.</summary>
internal static class SpdyFlags
{
    public const byte Fin = 0x01;

    public const uint RstProtocolError = 1;
    public const uint RstInvalidStream = 2;
    public const uint RstRefusedStream = 3;
    public const uint RstCancel = 5;
    public const uint RstInternalError = 6;
}
