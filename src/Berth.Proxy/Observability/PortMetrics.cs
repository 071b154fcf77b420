using Prometheus;

namespace Berth.Proxy.Observability;

/// <summary>The labelled metric children of one Service port.</summary>
internal sealed class PortMetrics(Counter.Child retries, Counter.Child refused)
{
    public Counter.Child Retries => retries;

    public Counter.Child Refused => refused;

    public void Remove()
    {
        retries.Remove();
        refused.Remove();
    }
}
