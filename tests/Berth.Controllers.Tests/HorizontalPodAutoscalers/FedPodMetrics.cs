using System.Collections.Concurrent;
using Berth.Controllers.HorizontalPodAutoscalers;

namespace Berth.Controllers.Tests.HorizontalPodAutoscalers;

/// <summary>A metrics source the test sets per pod (millicores), standing in for metrics.k8s.io.</summary>
internal sealed class FedPodMetrics : IPodMetricsSource
{
    private readonly ConcurrentDictionary<(string Namespace, string Pod), long> _cpu = new();

    public void Set(string ns, string pod, long milliCores) => _cpu[(ns, pod)] = milliCores;

    public Task<IReadOnlyDictionary<string, PodMetric>> GetAsync(string ns, string labelSelector, string resource, string? container, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, PodMetric> result = resource == "cpu"
            ? _cpu.Where(e => e.Key.Namespace == ns).ToDictionary(e => e.Key.Pod, e => new PodMetric(e.Value, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(15)))
            : new Dictionary<string, PodMetric>();
        return Task.FromResult(result);
    }
}
