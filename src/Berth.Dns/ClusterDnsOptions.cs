using System.Net;
using Prometheus;

namespace Berth.Dns;

/// <summary>Settings of <see cref="ClusterDns"/>; the <c>--dns-*</c> flags of <c>berth up</c> and <c>berth agent</c> bind to these.</summary>
public sealed class ClusterDnsOptions
{
    /// <summary><c>--cluster-domain</c>: the zone served with authority.</summary>
    public string ClusterDomain { get; set; } = "cluster.local";

    /// <summary><c>--dns-addr</c>: where to listen (UDP and TCP); null: the kube-dns Service's ClusterIP, port 53, once known.</summary>
    public IPEndPoint? Address { get; set; }

    /// <summary><c>--dns-upstream</c> (repeatable): resolvers for other names; empty: the nameservers of <see cref="ResolvConfPath"/>.</summary>
    public IList<IPEndPoint> Upstreams { get; } = [];

    /// <summary>The node's resolver configuration (<c>--resolv-conf</c>), whose nameservers are the default upstreams; "" for none.</summary>
    public string ResolvConfPath { get; set; } = "/etc/resolv.conf";

    /// <summary><c>--dns-ttl</c>: TTL of every record in the zone, and the SOA minimum (the negative-caching TTL). CoreDNS' default: 5 s.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>--dns-allow</c> (repeatable): networks whose clients are answered besides loopback and the Nodes' pod CIDRs; 0.0.0.0/0 answers everyone.</summary>
    public IList<IPNetwork> AllowedNetworks { get; } = [];

    /// <summary>UDP sockets (each with its own thread) sharing the address through SO_REUSEPORT; default one per core.</summary>
    public int UdpSockets { get; set; } = Environment.ProcessorCount;

    /// <summary>Queries taken (and answers sent) per system call on each UDP socket: <c>recvmmsg</c>/<c>sendmmsg</c>; 1: <c>recvfrom</c>/<c>sendto</c>.</summary>
    public int UdpBatch { get; set; } = 32;

    /// <summary>The EDNS0 UDP payload size we advertise and the largest UDP answer we send (DNS flag day 2020: 1232).</summary>
    public int MaxUdpSize { get; set; } = 1232;

    /// <summary>A TCP connection without a query for this long is closed (RFC 7766 §6.2.3).</summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for one upstream resolver.</summary>
    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upstream responses kept at most.</summary>
    public int ForwardCacheSize { get; set; } = 10_000;

    /// <summary>Upstream responses are kept for their TTL, at most this long.</summary>
    public TimeSpan ForwardCacheMaxTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The node this server runs on: it publishes an EndpointSlice of kube-dns naming its listener, owned by that Node. Null: none.</summary>
    public string? NodeName { get; set; }

    /// <summary>The port the node serves its metrics on at the DNS address (kube-dns' <c>metrics</c> port, 9153), named in the EndpointSlice; null: not named.</summary>
    public int? MetricsPort { get; set; }

    /// <summary>Where the DNS metrics go (the node's registry); null: a registry of its own.</summary>
    public CollectorRegistry? Registry { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public void Validate()
    {
        if (!Zone.ZoneConfigValidation.IsDomain(ClusterDomain))
        {
            throw new ArgumentException($"--cluster-domain: not a domain name: {ClusterDomain}");
        }

        if (Ttl < TimeSpan.Zero || Ttl > TimeSpan.FromHours(1))
        {
            throw new ArgumentException("--dns-ttl must be between 0 and 3600 seconds (as CoreDNS' ttl)");
        }

        if (UdpSockets < 1 || UdpBatch is < 1 or > 1024 || MaxUdpSize is < 512 or > 65535)
        {
            throw new ArgumentException("UdpSockets must be at least 1, UdpBatch 1–1024 and MaxUdpSize between 512 and 65535");
        }

        if (TcpIdleTimeout <= TimeSpan.Zero || ForwardTimeout <= TimeSpan.Zero || ForwardCacheSize < 1)
        {
            throw new ArgumentException("timeouts must be positive and the forward cache hold at least one response");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
