namespace Berth.Client.Http;

/// <summary>
/// Deadlines of <see cref="HttpApiClient"/>, on both transports (HTTPS and in-process): no call waits for ever on a
/// server that accepted and never answered, or on a connection that went dead under it. A deadline that passes is an
/// <see cref="ApiTimeoutException"/>. client-go has none of these by default (kubectl's <c>--request-timeout</c> is
/// 0); kube-apiserver ends its own non-watch requests after 60 s.
/// </summary>
public sealed class HttpApiClientOptions
{
    /// <summary>Get, create, update, patch, delete and bind: from sending to the last byte of the answer.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A list, which may be large to send and to decode (an informer's first list of 100,000 pods).</summary>
    public TimeSpan ListTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A watch that asked for bookmarks and receives nothing for this long — no event and no bookmark — is abandoned
    /// (an informer then watches again from its last resourceVersion). Berth's API server sends an idle watch a
    /// bookmark every 5 s (<c>ApiServerOptions.BookmarkInterval</c>), so 30 s is six missed bookmarks. kube-apiserver
    /// sends bookmarks about once a minute: against a Kubernetes cluster raise this above 60 s, or quiet watches are
    /// re-opened every 30 s (harmless, but needless). Watches without bookmarks have no idle bound.
    /// </summary>
    public TimeSpan WatchIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A watch sent with <c>timeoutSeconds</c> is ended by the server then; the client ends it this much later if the
    /// server did not.
    /// </summary>
    public TimeSpan WatchTimeoutGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// HTTP/2 keep-alive: a connection silent this long is pinged, and closed when the ping is not answered within
    /// <see cref="KeepAlivePingTimeout"/> — so a dead connection (every request of a client shares one) is replaced
    /// rather than reused by the next watch (client-go's <c>ReadIdleTimeout</c> 30 s and <c>PingTimeout</c> 15 s).
    /// HTTPS transport only.
    /// </summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public void Validate()
    {
        foreach (var (name, value) in new[]
        {
            (nameof(RequestTimeout), RequestTimeout), (nameof(ListTimeout), ListTimeout), (nameof(WatchIdleTimeout), WatchIdleTimeout),
            (nameof(WatchTimeoutGrace), WatchTimeoutGrace), (nameof(KeepAlivePingDelay), KeepAlivePingDelay), (nameof(KeepAlivePingTimeout), KeepAlivePingTimeout),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentException($"HttpApiClientOptions.{name} must be positive, not {value}");
            }
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
