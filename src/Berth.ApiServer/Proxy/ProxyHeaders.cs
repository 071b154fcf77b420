namespace Berth.ApiServer.Proxy;

/// <summary>Which headers a proxy passes on (RFC 9110 §7.6.1 hop-by-hop headers stay; so do the caller's credentials).</summary>
internal static class ProxyHeaders
{
    private static readonly HashSet<string> _hopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host",
        // kube-apiserver's authentication filter removes the credentials it accepted before proxying.
        "Authorization",
    };

    public static bool IsForwarded(string name) => !_hopByHop.Contains(name) && !name.StartsWith(':');

    /// <summary>Response headers that Kestrel or the HTTP stack set themselves.</summary>
    public static bool IsRelayedResponse(string name) => !_hopByHop.Contains(name) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase);
}
