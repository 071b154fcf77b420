namespace Berth.Agnhost.Http;

/// <summary>One parsed HTTP/1.x request, shaped like the parts of Go's <c>http.Request</c> agnhost reads.</summary>
internal sealed class HttpRequest
{
    private IReadOnlyList<KeyValuePair<string, string>>? _form;

    public required string Method { get; init; }

    /// <summary>The decoded path (Go's <c>URL.Path</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The query without <c>?</c>, still escaped (Go's <c>URL.RawQuery</c>).</summary>
    public string RawQuery { get; init; } = string.Empty;

    /// <summary>HTTP minor version: 1 for HTTP/1.1, 0 for HTTP/1.0.</summary>
    public int ProtoMinor { get; init; } = 1;

    /// <summary>Headers in arrival order, names canonicalized as Go does; <c>Host</c> is kept apart.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public string Host { get; init; } = string.Empty;

    /// <summary><c>ip:port</c> of the client (Go's <c>RemoteAddr</c>); empty for a synthesized request.</summary>
    public string RemoteAddr { get; init; } = string.Empty;

    public ReadOnlyMemory<byte> Body { get; init; }

    public bool KeepAlive { get; init; } = true;

    /// <summary>Go's <c>Header.Get</c>: the first value of the canonicalized name, or empty.</summary>
    public string Header(string name)
    {
        var key = HeaderNames.Canonical(name);
        foreach (var (k, v) in Headers)
        {
            if (string.Equals(k, key, StringComparison.Ordinal))
            {
                return v;
            }
        }

        return string.Empty;
    }

    /// <summary>Go's <c>FormValue</c>: url-encoded POST/PUT/PATCH body values first, then the query's.</summary>
    public string FormValue(string name)
    {
        _form ??= ParseForm();
        foreach (var (k, v) in _form)
        {
            if (string.Equals(k, name, StringComparison.Ordinal))
            {
                return v;
            }
        }

        return string.Empty;
    }

    /// <summary>Go's <c>URL.Query().Get</c>: the query alone.</summary>
    public string QueryValue(string name)
    {
        foreach (var (k, v) in QueryString.Parse(RawQuery))
        {
            if (string.Equals(k, name, StringComparison.Ordinal))
            {
                return v;
            }
        }

        return string.Empty;
    }

    private List<KeyValuePair<string, string>> ParseForm()
    {
        var form = new List<KeyValuePair<string, string>>();
        var mediaType = Header("Content-Type").Split(';')[0].Trim();
        if (Method is "POST" or "PUT" or "PATCH" && string.Equals(mediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            form.AddRange(QueryString.Parse(System.Text.Encoding.UTF8.GetString(Body.Span)));
        }

        form.AddRange(QueryString.Parse(RawQuery));
        return form;
    }
}
