using System.Buffers;
using System.Globalization;
using System.Text;

namespace Berth.Agnhost.Http;

/// <summary>
/// A response buffered until the handler returns, with Go's <c>ResponseWriter</c> rules: the first
/// <see cref="WriteHeader"/> wins, a write implies 200, an unset Content-Type of a non-empty body is
/// <c>text/plain; charset=utf-8</c> (what Go's sniffing gives for agnhost's text and JSON answers).
/// </summary>
internal sealed class HttpResponse
{
    private readonly List<KeyValuePair<string, string>> _headers = [];
    private readonly ArrayBufferWriter<byte> _body = new();
    private bool _wroteHeader;

    public int StatusCode { get; private set; } = 200;

    /// <summary>True when the connection is to be dropped without an answer (Go: a panicking handler, os.Exit).</summary>
    public bool Aborted { get; private set; }

    public ReadOnlySpan<byte> Body => _body.WrittenSpan;

    public void WriteHeader(int code)
    {
        if (_wroteHeader)
        {
            return;
        }

        // Go panics on a code outside [100, 999]; the server then drops the connection.
        if (code is < 100 or > 999)
        {
            Abort();
            return;
        }

        // A 1xx is an informational answer in Go; the final status stays to be written (200 by default).
        if (code is >= 100 and < 200 and not 101)
        {
            return;
        }

        _wroteHeader = true;
        StatusCode = code;
    }

    public void Write(string text)
    {
        WriteHeader(200);
        Encoding.UTF8.GetBytes(text, _body);
    }

    public void SetHeader(string name, string value)
    {
        var key = HeaderNames.Canonical(name);
        _headers.RemoveAll(h => string.Equals(h.Key, key, StringComparison.Ordinal));
        _headers.Add(new(key, value));
    }

    public bool HasHeader(string name)
    {
        var key = HeaderNames.Canonical(name);
        return _headers.Exists(h => string.Equals(h.Key, key, StringComparison.Ordinal));
    }

    public string Header(string name)
    {
        var key = HeaderNames.Canonical(name);
        return _headers.Find(h => string.Equals(h.Key, key, StringComparison.Ordinal)).Value ?? string.Empty;
    }

    /// <summary>Go's <c>http.Error</c>: plain text, nosniff, the message and a newline.</summary>
    public void Error(string message, int code)
    {
        _headers.RemoveAll(h => h.Key == "Content-Length");
        SetHeader("Content-Type", "text/plain; charset=utf-8");
        SetHeader("X-Content-Type-Options", "nosniff");
        WriteHeader(code);
        Write(message + "\n");
    }

    public void Abort() => Aborted = true;

    /// <summary>Status line, headers and body; <paramref name="keepAlive"/> decides the Connection header.</summary>
    public byte[] Serialize(HttpRequest request, bool keepAlive, DateTimeOffset now)
    {
        var bodyAllowed = StatusCode is not (204 or 304) && StatusCode >= 200;
        var sb = new StringBuilder(256);
        sb.Append(request.ProtoMinor == 0 ? "HTTP/1.0 " : "HTTP/1.1 ")
            .Append(StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(StatusText.ReasonPhrase(StatusCode)).Append("\r\n");
        foreach (var (name, value) in _headers.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            if (name is "Connection" or "Content-Length")
            {
                continue;
            }

            sb.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (bodyAllowed)
        {
            if (_body.WrittenCount > 0 && !HasHeader("Content-Type"))
            {
                sb.Append("Content-Type: text/plain; charset=utf-8\r\n");
            }

            sb.Append("Content-Length: ").Append(_body.WrittenCount.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        sb.Append("Date: ").Append(now.UtcDateTime.ToString("R", CultureInfo.InvariantCulture)).Append("\r\n");
        if (!keepAlive)
        {
            sb.Append("Connection: close\r\n");
        }
        else if (request.ProtoMinor == 0)
        {
            sb.Append("Connection: keep-alive\r\n");
        }

        sb.Append("\r\n");
        var head = Encoding.Latin1.GetBytes(sb.ToString());
        if (!bodyAllowed || request.Method == "HEAD" || _body.WrittenCount == 0)
        {
            return head;
        }

        var all = new byte[head.Length + _body.WrittenCount];
        head.CopyTo(all, 0);
        _body.WrittenSpan.CopyTo(all.AsSpan(head.Length));
        return all;
    }

    /// <summary>Whether the handler asked for the connection to be closed (<c>Connection: close</c>).</summary>
    public bool WantsClose => string.Equals(Header("Connection"), "close", StringComparison.OrdinalIgnoreCase);
}
