using System.Globalization;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get hpa</c>: a port of <c>printHorizontalPodAutoscaler</c> and <c>formatHPAMetrics</c> (pkg/printers/internalversion/printers.go).</summary>
internal sealed class HorizontalPodAutoscalerTablePrinter : TablePrinter<V2HorizontalPodAutoscaler>
{
    // autoscaling/v2beta1 HorizontalPodAutoscalerSpec / Status SwaggerDoc(), which printers.go uses.
    private const string ScaleTargetRef = "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.";
    private const string Metrics = "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond.";
    private const string MinReplicas = "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.";
    private const string MaxReplicas = "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.";
    private const string CurrentReplicas = "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.";

    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Reference", ScaleTargetRef),
        TableColumnDefinition.String("Targets", Metrics),
        TableColumnDefinition.String("MinPods", MinReplicas),
        TableColumnDefinition.String("MaxPods", MaxReplicas),
        TableColumnDefinition.String("Replicas", CurrentReplicas),
        TableColumnDefinition.AgeColumn,
    ];

    protected override TableRow Print(V2HorizontalPodAutoscaler hpa, DateTimeOffset now)
    {
        var spec = hpa.Spec ?? new V2HorizontalPodAutoscalerSpec();
        var reference = spec.ScaleTargetRef is { } r ? r.Kind + "/" + r.Name : "/";
        return new TableRow(
        [
            hpa.Metadata?.Name ?? string.Empty,
            reference,
            FormatMetrics(spec.Metrics ?? [], hpa.Status?.CurrentMetrics ?? []),
            spec.MinReplicas is { } min ? min.ToString(CultureInfo.InvariantCulture) : "<unset>",
            (long)spec.MaxReplicas,
            (long)(hpa.Status?.CurrentReplicas ?? 0),
            HumanDuration.Since(hpa.Metadata?.CreationTimestamp, now),
        ]);
    }

    /// <summary><c>formatHPAMetrics</c>: at most three, then <c> + N more...</c>; <c>&lt;none&gt;</c> without metrics.</summary>
    public static string FormatMetrics(IList<V2MetricSpec> specs, IList<V2MetricStatus> statuses)
    {
        if (specs.Count == 0)
        {
            return "<none>";
        }

        var list = new List<string>();
        var count = 0;
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var status = i < statuses.Count ? statuses[i] : null;
            string? item = spec.Type switch
            {
                "Resource" when spec.Resource is { } resource => Resource(resource.Name, resource.Target, status?.Resource?.Current),
                "ContainerResource" when spec.ContainerResource is { } resource => Resource(resource.Name, resource.Target, status?.ContainerResource?.Current),
                "Pods" when spec.Pods is { } pods => $"{Current(status?.Pods?.Current?.AverageValue)}/{pods.Target?.AverageValue}",
                "Object" when spec.ObjectProperty is { } obj => obj.Target?.AverageValue is { } average
                    ? $"{Current(status?.ObjectProperty?.Current?.AverageValue)}/{average} (avg)"
                    : $"{Current(status?.ObjectProperty?.Current?.Value)}/{obj.Target?.Value}",
                "External" when spec.External is { } external => external.Target?.AverageValue is { } average
                    ? $"{Current(status?.External?.Current?.AverageValue)}/{average} (avg)"
                    : $"{Current(status?.External?.Current?.Value)}/{external.Target?.Value}",
                _ => "<unknown type>",
            };
            count++;
            if (list.Count < 3)
            {
                list.Add(item);
            }
        }

        var text = string.Join(", ", list);
        return count > 3 ? $"{text} + {count - 3} more..." : text;
    }

    private static string Resource(string name, V2MetricTarget? target, V2MetricValueStatus? current)
    {
        if (target?.AverageValue is { } average)
        {
            return $"{name}: {Current(current?.AverageValue)}/{average}";
        }

        var now = current?.AverageUtilization is { } u ? u.ToString(CultureInfo.InvariantCulture) + "%" : "<unknown>";
        var wanted = target?.AverageUtilization is { } t ? t.ToString(CultureInfo.InvariantCulture) + "%" : "<auto>";
        return $"{name}: {now}/{wanted}";
    }

    private static string Current(ResourceQuantity? quantity) => quantity?.ToString() ?? "<unknown>";
}
