namespace Berth.Controllers.HorizontalPodAutoscalers;

/// <summary>The resource metrics of the pods an HPA targets (Kubernetes' metricsclient over metrics.k8s.io); tests feed their own.</summary>
public interface IPodMetricsSource
{
    /// <summary>Pod name → its usage of <paramref name="resource"/> (all containers, or only <paramref name="container"/>); empty when there are none.</summary>
    Task<IReadOnlyDictionary<string, PodMetric>> GetAsync(string ns, string labelSelector, string resource, string? container, CancellationToken cancellationToken);
}
