using System.Globalization;
using System.Text;

namespace Berth.Agnhost.Http;

/// <summary>
/// Reads HTTP/1.x requests off one connection: request line, headers (at most Go's 1 MiB + 4 KiB), then a
/// Content-Length or chunked body. Malformed input gives a <see cref="HttpParseException"/> carrying the status to
/// answer with before the connection is closed.
/// </summary>
internal sealed class HttpRequestReader(Stream stream)
{
    private const int MaxHeaderBytes = (1 << 20) + 4096;
    private const int MaxBodyBytes = 10 << 20;

    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    /// <summary>The next request, or null when the peer closed the connection between requests.</summary>
    public async ValueTask<HttpRequest?> ReadAsync(string remoteAddr, Func<ValueTask> sendContinue, CancellationToken cancellationToken)
    {
        var budget = MaxHeaderBytes;
        var requestLine = await ReadLineAsync(budget, allowEof: true, cancellationToken).ConfigureAwait(false);
        if (requestLine is null)
        {
            return null;
        }

        budget -= requestLine.Length;
        var parts = requestLine.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || !parts[0].All(HeaderNames.IsTokenChar))
        {
            throw new HttpParseException(400, "malformed HTTP request " + Go.GoText.Quote(requestLine));
        }

        var minor = parts[2] switch
        {
            "HTTP/1.1" => 1,
            "HTTP/1.0" => 0,
            _ => throw new HttpParseException(parts[2].StartsWith("HTTP/", StringComparison.Ordinal) ? 505 : 400, "malformed HTTP version " + Go.GoText.Quote(parts[2])),
        };

        var (path, rawQuery) = ParseTarget(parts[1]);
        var headers = new List<KeyValuePair<string, string>>();
        var host = string.Empty;
        while (true)
        {
            var line = await ReadLineAsync(budget, allowEof: false, cancellationToken).ConfigureAwait(false) ?? string.Empty;
            budget -= line.Length + 2;
            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !line[..colon].All(HeaderNames.IsTokenChar))
            {
                throw new HttpParseException(400, "malformed MIME header line: " + line);
            }

            var name = HeaderNames.Canonical(line[..colon]);
            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (name == "Host")
            {
                host = value;
            }
            else
            {
                headers.Add(new(name, value));
            }
        }

        var connection = string.Join(',', headers.Where(h => h.Key == "Connection").Select(h => h.Value)).ToLowerInvariant();
        var keepAlive = minor == 1 ? !connection.Contains("close", StringComparison.Ordinal) : connection.Contains("keep-alive", StringComparison.Ordinal);
        var chunked = headers.Any(h => h.Key == "Transfer-Encoding" && h.Value.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        var lengthText = headers.FirstOrDefault(h => h.Key == "Content-Length").Value;
        long length = 0;
        if (!chunked && lengthText is not null && (!long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out length)))
        {
            throw new HttpParseException(400, "bad Content-Length");
        }

        if (length > MaxBodyBytes)
        {
            throw new HttpParseException(413, "request body too large");
        }

        if ((chunked || length > 0) && minor == 1
            && headers.Any(h => h.Key == "Expect" && string.Equals(h.Value, "100-continue", StringComparison.OrdinalIgnoreCase)))
        {
            await sendContinue().ConfigureAwait(false);
        }

        var body = chunked
            ? await ReadChunkedAsync(cancellationToken).ConfigureAwait(false)
            : await ReadExactAsync((int)length, cancellationToken).ConfigureAwait(false);

        return new HttpRequest
        {
            Method = parts[0],
            Path = path,
            RawQuery = rawQuery,
            ProtoMinor = minor,
            Headers = headers.Where(h => h.Key != "Transfer-Encoding").ToList(),
            Host = host,
            RemoteAddr = remoteAddr,
            Body = body,
            KeepAlive = keepAlive,
        };
    }

    private static (string Path, string RawQuery) ParseTarget(string target)
    {
        if (target == "*")
        {
            return ("*", string.Empty);
        }

        if (!target.StartsWith('/'))
        {
            // absolute-form (a proxy request): keep only path and query.
            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new HttpParseException(400, "invalid URI");
            }

            target = uri.PathAndQuery;
        }

        var q = target.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? target : target[..q];
        var rawQuery = q < 0 ? string.Empty : target[(q + 1)..];
        return QueryString.TryUnescape(rawPath, plusIsSpace: false, out var path)
            ? (path, rawQuery)
            : throw new HttpParseException(400, "invalid URI escape");
    }

    private async ValueTask<ReadOnlyMemory<byte>> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync(4096, allowEof: false, cancellationToken).ConfigureAwait(false) ?? string.Empty;
            var sizeText = sizeLine.Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new HttpParseException(400, "bad chunk length");
            }

            if (size == 0)
            {
                // Trailers until the empty line.
                while ((await ReadLineAsync(MaxHeaderBytes, allowEof: false, cancellationToken).ConfigureAwait(false))?.Length > 0)
                {
                }

                return body.ToArray();
            }

            if (body.Length + size > MaxBodyBytes)
            {
                throw new HttpParseException(413, "request body too large");
            }

            body.Write((await ReadExactAsync(size, cancellationToken).ConfigureAwait(false)).Span);
            if ((await ReadLineAsync(2, allowEof: false, cancellationToken).ConfigureAwait(false))?.Length != 0)
            {
                throw new HttpParseException(400, "malformed chunked encoding");
            }
        }
    }

    private async ValueTask<ReadOnlyMemory<byte>> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var result = new byte[count];
        var filled = Math.Min(count, _end - _start);
        _buffer.AsSpan(_start, filled).CopyTo(result);
        _start += filled;
        while (filled < count)
        {
            var n = await stream.ReadAsync(result.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException();
            }

            filled += n;
        }

        return result;
    }

    /// <summary>A line without its CRLF (a bare LF also ends it), as Latin-1; null on EOF when allowed.</summary>
    private async ValueTask<string?> ReadLineAsync(int maxLength, bool allowEof, CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var lineEnd = _start + scanned + newline;
                var length = lineEnd - _start;
                if (length > maxLength)
                {
                    throw new HttpParseException(431, "request header too large");
                }

                if (length > 0 && _buffer[lineEnd - 1] == '\r')
                {
                    length--;
                }

                var line = Encoding.Latin1.GetString(_buffer, _start, length);
                _start = lineEnd + 1;
                return line;
            }

            scanned = _end - _start;
            if (scanned > maxLength)
            {
                throw new HttpParseException(431, "request header too large");
            }

            if (_start > 0 && _end == _buffer.Length)
            {
                Array.Copy(_buffer, _start, _buffer, 0, scanned);
                _end = scanned;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var n = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (allowEof && scanned == 0)
                {
                    return null;
                }

                throw new EndOfStreamException();
            }

            _end += n;
        }
    }
}
