namespace Berth.Node.Streams.Spdy;

/// <summary>The peer broke the SPDY/3.1 framing; the session ends.</summary>
public sealed class SpdyProtocolException : Exception
{
    public SpdyProtocolException(string message)
        : base(message)
    {
    }

    public SpdyProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public SpdyProtocolException()
    {
    }
}
