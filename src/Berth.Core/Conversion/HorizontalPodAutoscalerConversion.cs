using System.Text.Json.Nodes;
using Berth.Core.Resources;

namespace Berth.Core.Conversion;

/// <summary>
/// autoscaling/v1 ⇄ autoscaling/v2 HorizontalPodAutoscaler (pkg/apis/autoscaling/v1/conversion.go), on JSON. v1 holds
/// one CPU utilization target; everything else v2 has rides in the round-trip annotations Kubernetes uses
/// (<c>autoscaling.alpha.kubernetes.io/metrics</c>, <c>…/behavior</c>, <c>…/current-metrics</c>,
/// <c>…/conditions</c>), so a v1 client's update keeps what it cannot see.
/// </summary>
/// <remarks>Difference: the annotations hold the v2 JSON of those fields (Kubernetes writes the v1 MetricSpec form).</remarks>
public sealed class HorizontalPodAutoscalerConversion : IVersionConverter
{
    public const string MetricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";
    public const string BehaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior";
    public const string CurrentMetricsAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics";
    public const string ConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions";
    private static readonly string[] _roundTrip = [MetricsAnnotation, BehaviorAnnotation, CurrentMetricsAnnotation, ConditionsAnnotation];

    public JsonObject ToStorage(JsonObject served)
    {
        ArgumentNullException.ThrowIfNull(served);
        served["apiVersion"] = "autoscaling/v2";
        var annotations = served["metadata"]?["annotations"] as JsonObject;
        var spec = served["spec"] as JsonObject ?? [];
        var status = served["status"] as JsonObject;
        var metrics = Take(annotations, MetricsAnnotation) as JsonArray ?? [];
        if (spec["targetCPUUtilizationPercentage"] is { } target)
        {
            metrics.Add(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject { ["name"] = "cpu", ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = target.DeepClone() } },
            });
        }

        spec.Remove("targetCPUUtilizationPercentage");
        if (metrics.Count > 0)
        {
            spec["metrics"] = metrics;
        }

        if (Take(annotations, BehaviorAnnotation) is JsonObject behavior)
        {
            spec["behavior"] = behavior;
        }

        var current = Take(annotations, CurrentMetricsAnnotation) as JsonArray ?? [];
        var conditions = Take(annotations, ConditionsAnnotation) as JsonArray;
        if (status is not null)
        {
            if (status["currentCPUUtilizationPercentage"] is { } cpu)
            {
                current.Add(new JsonObject
                {
                    ["type"] = "Resource",
                    ["resource"] = new JsonObject { ["name"] = "cpu", ["current"] = new JsonObject { ["averageUtilization"] = cpu.DeepClone() } },
                });
            }

            status.Remove("currentCPUUtilizationPercentage");
            if (current.Count > 0)
            {
                status["currentMetrics"] = current;
            }

            if (conditions is not null)
            {
                status["conditions"] = conditions;
            }

            status["desiredReplicas"] ??= 0;
        }

        DropEmpty(served);
        return served;
    }

    public JsonObject FromStorage(JsonObject stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        stored["apiVersion"] = "autoscaling/v1";
        var metadata = stored["metadata"] as JsonObject ?? [];
        stored["metadata"] = metadata;
        var annotations = metadata["annotations"] as JsonObject ?? [];
        foreach (var name in _roundTrip)
        {
            annotations.Remove(name);
        }

        var spec = stored["spec"] as JsonObject ?? [];
        var others = new JsonArray();
        foreach (var metric in (spec["metrics"] as JsonArray ?? []).ToList())
        {
            if (spec["targetCPUUtilizationPercentage"] is null && IsCpuUtilization(metric, "target") is { } utilization)
            {
                spec["targetCPUUtilizationPercentage"] = utilization;
            }
            else
            {
                others.Add(metric!.DeepClone());
            }
        }

        spec.Remove("metrics");
        Keep(annotations, MetricsAnnotation, others.Count > 0 ? others : null);
        Keep(annotations, BehaviorAnnotation, spec["behavior"]);
        spec.Remove("behavior");
        if (stored["status"] is JsonObject status)
        {
            var current = new JsonArray();
            foreach (var metric in (status["currentMetrics"] as JsonArray ?? []).ToList())
            {
                if (status["currentCPUUtilizationPercentage"] is null && metric?["type"]?.GetValue<string>() == "Resource" && metric["resource"]?["name"]?.GetValue<string>() == "cpu"
                    && metric["resource"]?["current"]?["averageUtilization"] is { } cpu)
                {
                    status["currentCPUUtilizationPercentage"] = cpu.DeepClone();
                }
                else
                {
                    current.Add(metric!.DeepClone());
                }
            }

            Keep(annotations, CurrentMetricsAnnotation, current.Count > 0 ? current : null);
            Keep(annotations, ConditionsAnnotation, status["conditions"] is JsonArray { Count: > 0 } c ? c : null);
            status.Remove("currentMetrics");
            status.Remove("conditions");
        }

        metadata["annotations"] = annotations.Count > 0 ? annotations : null;
        DropEmpty(stored);
        return stored;
    }

    private static JsonNode? IsCpuUtilization(JsonNode? metric, string target) =>
        metric?["type"]?.GetValue<string>() == "Resource" && metric["resource"]?["name"]?.GetValue<string>() == "cpu"
            && metric["resource"]?[target]?["type"]?.GetValue<string>() == "Utilization"
            ? metric["resource"]?[target]?["averageUtilization"]?.DeepClone()
            : null;

    private static JsonNode? Take(JsonObject? annotations, string name)
    {
        if (annotations?[name]?.GetValue<string>() is not { } text)
        {
            return null;
        }

        annotations.Remove(name);
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // as Kubernetes: an annotation that does not decode is dropped
        }
    }

    private static void Keep(JsonObject annotations, string name, JsonNode? value)
    {
        if (value is not null)
        {
            annotations[name] = value.ToJsonString();
        }
    }

    private static void DropEmpty(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata && metadata["annotations"] is null or JsonObject { Count: 0 })
        {
            metadata.Remove("annotations");
        }
    }
}
