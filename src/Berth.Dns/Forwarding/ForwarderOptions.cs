using System.Net;

namespace Berth.Dns.Forwarding;

/// <summary>Where and how names outside the cluster zone are resolved.</summary>
internal sealed class ForwarderOptions
{
    public IReadOnlyList<IPEndPoint> Upstreams { get; init; } = [];

    /// <summary>How long to wait for one upstream before asking the next.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Responses kept at most (the cache is bounded: when full, the expired and then the oldest half go).</summary>
    public int CacheSize { get; init; } = 10_000;

    /// <summary>No response is kept longer than this, whatever its TTL (kubeadm's Corefile: <c>cache 30</c>).</summary>
    public TimeSpan MaxCacheTtl { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
