using System.Collections.Concurrent;
using Berth.Proxy.Balancing;
using Berth.Proxy.Model;
using Prometheus;

namespace Berth.Proxy.Observability;

/// <summary>
/// The proxy's Prometheus metrics (<c>berth_proxy_*</c>) in the node's registry. Labelled children are resolved once
/// per endpoint (<see cref="ForEndpoint"/>, kept on the <see cref="BackendEndpoint"/>) and per Service port, never per
/// connection; gauges of live state are read from the data plane when Prometheus scrapes.
/// </summary>
internal sealed class ProxyMetrics
{
    private static readonly string[] _portLabels = ["namespace", "service", "port"];
    private static readonly string[] _endpointLabels = ["namespace", "service", "port", "endpoint"];

    private readonly Counter _connections;
    private readonly Counter _bytesToEndpoint;
    private readonly Counter _bytesFromEndpoint;
    private readonly Counter _connectFailures;
    private readonly Counter _retries;
    private readonly Counter _refused;
    private readonly Counter _bindFailures;
    private readonly Gauge _endpointActive;

    /// <summary>The endpoints whose metrics are published, with their live connection counts read at scrape time.</summary>
    private readonly ConcurrentDictionary<EndpointMetrics, BackendEndpoint> _published = new(ReferenceEqualityComparer.Instance);

    public ProxyMetrics(CollectorRegistry registry, Func<LiveCounts> live)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        SyncDuration = factory.CreateHistogram(
            "berth_proxy_sync_duration_seconds",
            "How long one sync of the proxy's model and listeners took (kube-proxy: sync_proxy_rules_duration_seconds).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });
        NetworkProgramming = factory.CreateHistogram(
            "berth_proxy_network_programming_duration_seconds",
            "From an EndpointSlice's endpoints.kubernetes.io/last-change-trigger-time to the change serving traffic (kube-proxy: network_programming_duration_seconds).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        _connections = factory.CreateCounter("berth_proxy_connections_total", "TCP connections and UDP flows forwarded, per endpoint.", _endpointLabels);
        _bytesToEndpoint = factory.CreateCounter("berth_proxy_sent_bytes_total", "Bytes forwarded from clients to the endpoint.", _endpointLabels);
        _bytesFromEndpoint = factory.CreateCounter("berth_proxy_received_bytes_total", "Bytes forwarded from the endpoint back to clients.", _endpointLabels);
        _connectFailures = factory.CreateCounter("berth_proxy_connect_failures_total", "Connects to the endpoint that were refused, unreachable or timed out.", _endpointLabels);
        _retries = factory.CreateCounter("berth_proxy_connect_retries_total", "Connections sent to another endpoint after a failed connect.", _portLabels);
        _refused = factory.CreateCounter("berth_proxy_refused_connections_total", "Connections reset because no endpoint could be reached.", _portLabels);
        _bindFailures = factory.CreateCounter("berth_proxy_bind_failures_total", "Listeners that could not be opened, by reason.", ["reason"]);
        _endpointActive = factory.CreateGauge("berth_proxy_endpoint_active_connections", "TCP connections and UDP flows open to the endpoint now (berth status shows them).", _endpointLabels);
        var active = factory.CreateGauge("berth_proxy_active_connections", "TCP connections open through the proxy.");
        var flows = factory.CreateGauge("berth_proxy_udp_flows", "UDP flows (client address and port → endpoint) open.");
        var listeners = factory.CreateGauge("berth_proxy_listeners", "Sockets open on Service entry points (TCP listeners and UDP sockets).");
        var failed = factory.CreateGauge("berth_proxy_failed_listeners", "Service entry points that could not be opened and are retried on later syncs.");
        registry.AddBeforeCollectCallback(() =>
        {
            var counts = live();
            active.Set(counts.Connections);
            flows.Set(counts.UdpFlows);
            listeners.Set(counts.Listeners);
            failed.Set(counts.FailedListeners);
            foreach (var (metrics, endpoint) in _published)
            {
                metrics.Active.Set(endpoint.ActiveConnections);
            }
        });
    }

    public Histogram SyncDuration { get; }

    public Histogram NetworkProgramming { get; }

    public EndpointMetrics ForEndpoint(ServicePortName port, BackendEndpoint endpoint)
    {
        string[] labels = [port.Namespace, port.Name, port.Port, endpoint.Name];
        var metrics = new EndpointMetrics(
            _connections.WithLabels(labels),
            _bytesToEndpoint.WithLabels(labels),
            _bytesFromEndpoint.WithLabels(labels),
            _connectFailures.WithLabels(labels),
            _endpointActive.WithLabels(labels),
            removed => _published.TryRemove(removed, out _));
        _published[metrics] = endpoint;
        return metrics;
    }

    public PortMetrics ForPort(ServicePortName port) =>
        new(_retries.WithLabels(port.Namespace, port.Name, port.Port), _refused.WithLabels(port.Namespace, port.Name, port.Port));

    public void BindFailed(string reason) => _bindFailures.WithLabels(reason).Inc();

    /// <summary>Live state read at scrape time.</summary>
    public readonly record struct LiveCounts(long Connections, long UdpFlows, long Listeners, long FailedListeners);
}
