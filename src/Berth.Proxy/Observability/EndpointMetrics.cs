using Prometheus;

namespace Berth.Proxy.Observability;

/// <summary>The labelled metric children of one endpoint of one Service port.</summary>
internal sealed class EndpointMetrics(
    Counter.Child connections, Counter.Child sentBytes, Counter.Child receivedBytes, Counter.Child connectFailures, Gauge.Child active, Action<EndpointMetrics> removed)
{
    public Counter.Child Connections => connections;

    /// <summary>Client → endpoint.</summary>
    public Counter.Child SentBytes => sentBytes;

    /// <summary>Endpoint → client.</summary>
    public Counter.Child ReceivedBytes => receivedBytes;

    public Counter.Child ConnectFailures => connectFailures;

    /// <summary>Connections open to the endpoint, set from the endpoint's own count when Prometheus scrapes.</summary>
    public Gauge.Child Active => active;

    /// <summary>Unpublishes the series when the endpoint leaves its Service port for good.</summary>
    public void Remove()
    {
        connections.Remove();
        sentBytes.Remove();
        receivedBytes.Remove();
        connectFailures.Remove();
        active.Remove();
        removed(this);
    }
}
