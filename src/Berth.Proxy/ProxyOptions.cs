using System.Net;
using Berth.Client;
using Prometheus;

namespace Berth.Proxy;

/// <summary>Settings of <see cref="ServiceProxy"/>; <c>berth up</c> and <c>berth agent</c> bind their proxy flags to these.</summary>
public sealed class ProxyOptions
{
    /// <summary>The node this proxy runs on: endpoints whose <c>nodeName</c> is this are local (traffic policy Local).</summary>
    public string NodeName { get; set; } = string.Empty;

    /// <summary>
    /// <c>--nodeport-addresses</c>: where NodePorts (and health-check node ports) listen. Empty means 127.0.0.1 alone;
    /// <c>berth</c> fills in the node's InternalIP and 127.0.0.1.
    /// </summary>
    public IList<IPAddress> NodePortAddresses { get; } = [];

    /// <summary><c>--connect-timeout</c>: how long a connect to an endpoint may take before the next endpoint is tried.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>--proxy-min-sync-period</c>: syncs start at least this far apart, however many changes arrive (kube-proxy's
    /// <c>minSyncPeriod</c> is 1 s; a userspace sync touches only what changed, so Berth can afford much less: with 100 ms a
    /// pod's Ready reached routing in 59 ms at the median under churn, with 10 ms in 2.7 ms — bench `routing`).
    /// </summary>
    public TimeSpan MinSyncPeriod { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary><c>--proxy-sync-period</c>: a full resync (every Service compared, failed listeners retried) at least this often.</summary>
    public TimeSpan SyncPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>--proxy-udp-timeout</c>: a UDP flow with no datagram either way for this long is closed (conntrack's UDP timeout).</summary>
    public TimeSpan UdpIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an endpoint whose connect failed is avoided while other endpoints are usable.</summary>
    public TimeSpan FailedEndpointHold { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>--proxy-load-balancing</c>: the policy of Services without the <c>proxy.berth.dev/load-balancing</c> annotation.</summary>
    public LoadBalancingPolicy LoadBalancing { get; set; } = LoadBalancingPolicy.RoundRobin;

    /// <summary>How many recent connection decisions <c>/proxy/trace</c> keeps.</summary>
    public int TraceCapacity { get; set; } = 1024;

    /// <summary>Where the proxy's metrics go (the node's registry); null makes a private one.</summary>
    public CollectorRegistry? Metrics { get; set; }

    /// <summary>Where Warning events about Services go; null uses the informers' client.</summary>
    public IApiClient? EventClient { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Randomness of the random load-balancing policy (tests seed it).</summary>
    public Random Random { get; set; } = Random.Shared;

    public void Validate()
    {
        if (string.IsNullOrEmpty(NodeName))
        {
            throw new ArgumentException("the proxy needs the node's name (NodeName)");
        }

        if (ConnectTimeout <= TimeSpan.Zero || UdpIdleTimeout <= TimeSpan.Zero || FailedEndpointHold < TimeSpan.Zero)
        {
            throw new ArgumentException("--connect-timeout and --proxy-udp-timeout must be positive");
        }

        if (MinSyncPeriod < TimeSpan.Zero || SyncPeriod <= TimeSpan.Zero || SyncPeriod < MinSyncPeriod)
        {
            throw new ArgumentException("sync periods must satisfy 0 <= --proxy-min-sync-period <= --proxy-sync-period");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(TraceCapacity, 1);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(Random);
    }
}
