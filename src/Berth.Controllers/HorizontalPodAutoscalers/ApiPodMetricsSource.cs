using Berth.Client;
using k8s.Models;

namespace Berth.Controllers.HorizontalPodAutoscalers;

/// <summary>Reads <c>metrics.k8s.io/v1beta1</c> PodMetrics through the API, as the HPA controller's REST metrics client does.</summary>
internal sealed class ApiPodMetricsSource(IApiClient client) : IPodMetricsSource
{
    public async Task<IReadOnlyDictionary<string, PodMetric>> GetAsync(string ns, string labelSelector, string resource, string? container, CancellationToken cancellationToken)
    {
        var path = "/apis/metrics.k8s.io/v1beta1/namespaces/" + Uri.EscapeDataString(ns) + "/pods?labelSelector=" + Uri.EscapeDataString(labelSelector);
        var list = await client.GetPathAsync<PodMetricsList>(path, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<string, PodMetric>(StringComparer.Ordinal);
        foreach (var pod in list?.Items ?? [])
        {
            long total = 0;
            var found = false;
            foreach (var c in pod.Containers ?? [])
            {
                if ((container is null || c.Name == container) && c.Usage is { } usage && usage.TryGetValue(resource, out var quantity))
                {
                    total += (long)Math.Round(quantity.ToDecimal() * 1000);
                    found = true;
                }
            }

            // metricsclient: a pod without the resource in any container is missing, not zero.
            if (found)
            {
                result[pod.Metadata.Name] = new PodMetric(total, pod.Timestamp ?? DateTimeOffset.MinValue, WindowOf(pod.Window));
            }
        }

        return result;
    }

    private static TimeSpan WindowOf(string? window) =>
        window is { Length: > 1 } && window.EndsWith('s') && double.TryParse(window[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.Zero;
}
