using System.Globalization;

namespace Berth.Agnhost.Http;

/// <summary>
/// The part of Go's <c>http.ServeMux</c> agnhost relies on: exact patterns, <c>/</c> catching everything else, and a
/// 301 to the cleaned path when a request path has <c>//</c>, <c>.</c> or <c>..</c> elements.
/// </summary>
internal sealed class ServeMux
{
    private readonly Dictionary<string, RequestHandler> _exact = new(StringComparer.Ordinal);
    private RequestHandler? _root;

    public void Handle(string pattern, RequestHandler handler)
    {
        if (pattern == "/")
        {
            _root = handler;
        }
        else
        {
            _exact[pattern] = handler;
        }
    }

    public ValueTask ServeAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        if (request.Method != "CONNECT" && request.Path != "*")
        {
            var clean = CleanPath(request.Path);
            if (clean != request.Path)
            {
                Redirect(request, response, clean + (request.RawQuery.Length > 0 ? "?" + request.RawQuery : string.Empty), 301);
                return ValueTask.CompletedTask;
            }
        }

        if (_exact.TryGetValue(request.Path, out var handler) || (_root is { } root && (handler = root) is not null))
        {
            return handler(request, response, cancellationToken);
        }

        response.Error("404 page not found", 404);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Go's <c>http.Redirect</c>: a relative location is made absolute against the request path and cleaned, GET gets
    /// a small HTML body.
    /// </summary>
    public static void Redirect(HttpRequest request, HttpResponse response, string location, int code)
    {
        if (!HasSchemeOrHost(location))
        {
            var oldPath = request.Path.Length == 0 ? "/" : request.Path;
            if (location.Length == 0 || location[0] != '/')
            {
                location = oldPath[..(oldPath.LastIndexOf('/') + 1)] + location;
            }

            var query = string.Empty;
            var q = location.IndexOf('?', StringComparison.Ordinal);
            if (q >= 0)
            {
                query = location[q..];
                location = location[..q];
            }

            var trailing = location.EndsWith('/');
            location = Clean(location);
            if (trailing && !location.EndsWith('/'))
            {
                location += "/";
            }

            location += query;
        }

        var hadContentType = response.HasHeader("Content-Type");
        response.SetHeader("Location", HexEscapeNonAscii(location));
        if (!hadContentType && request.Method is "GET" or "HEAD")
        {
            response.SetHeader("Content-Type", "text/html; charset=utf-8");
        }

        response.WriteHeader(code);
        if (!hadContentType && request.Method == "GET")
        {
            response.Write("<a href=\"" + HtmlEscape(location) + "\">" + StatusText.Of(code) + "</a>.\n\n");
        }
    }

    /// <summary>Go's <c>cleanPath</c>: rooted, cleaned, trailing slash kept.</summary>
    internal static string CleanPath(string path)
    {
        if (path.Length == 0)
        {
            return "/";
        }

        if (path[0] != '/')
        {
            path = "/" + path;
        }

        var clean = Clean(path);
        return path.EndsWith('/') && clean != "/" ? clean + "/" : clean;
    }

    /// <summary>Go's <c>path.Clean</c> for rooted and relative paths.</summary>
    internal static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var element in path.Split('/'))
        {
            if (element.Length == 0 || element == ".")
            {
                continue;
            }

            if (element == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add("..");
                }

                continue;
            }

            parts.Add(element);
        }

        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    private static bool HasSchemeOrHost(string location)
    {
        if (location.StartsWith("//", StringComparison.Ordinal))
        {
            return true;
        }

        var colon = location.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(location[0]))
        {
            return false;
        }

        for (var i = 1; i < colon; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(location[i]) || location[i] is '+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string HtmlEscape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&#34;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    private static string HexEscapeNonAscii(string text)
    {
        if (text.All(char.IsAscii))
        {
            return text;
        }

        var sb = new System.Text.StringBuilder();
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            sb.Append(b < 0x80 ? ((char)b).ToString() : "%" + b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
