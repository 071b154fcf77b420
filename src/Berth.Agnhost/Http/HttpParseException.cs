namespace Berth.Agnhost.Http;

/// <summary>The request cannot be read; <see cref="StatusCode"/> is answered and the connection closed.</summary>
internal sealed class HttpParseException : Exception
{
    public HttpParseException()
    {
    }

    public HttpParseException(string message)
        : base(message)
    {
    }

    public HttpParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpParseException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; } = 400;
}
