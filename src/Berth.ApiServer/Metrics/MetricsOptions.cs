namespace Berth.ApiServer.Metrics;

/// <summary>How the API server's metrics.k8s.io reads the nodes' <c>/metrics/resource</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary>A node's figures are scraped again only when the last scrape is older than this.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A CPU rate needs two readings. When the previous one is older than <see cref="MaxWindow"/> (or there is none),
    /// the node is read twice, this far apart.
    /// </summary>
    public TimeSpan MinWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest window a rate is computed over (metrics-server's resolution is 15 s; a minute-old reading is stale).</summary>
    public TimeSpan MaxWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one node may take to answer.</summary>
    public TimeSpan ScrapeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public void Validate()
    {
        if (MinWindow <= TimeSpan.Zero || MaxWindow < MinWindow || CacheFor < TimeSpan.Zero || ScrapeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("metrics: MinWindow must be positive and at most MaxWindow; CacheFor must not be negative; ScrapeTimeout must be positive");
        }
    }
}
