using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The autoscaling/v2 HorizontalPodAutoscaler strategy: pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go,
/// defaults of pkg/apis/autoscaling/v2/defaults.go and the checks of pkg/apis/autoscaling/validation.
/// </summary>
public sealed class HorizontalPodAutoscalerStrategy : ResourceStrategy<V2HorizontalPodAutoscaler>
{
    /// <summary>autoscaling.DefaultCPUUtilization: the target when no metric is given.</summary>
    public const int DefaultCpuUtilization = 80;

    protected override void PrepareForCreate(V2HorizontalPodAutoscaler obj) => obj.Status = new V2HorizontalPodAutoscalerStatus();

    protected override void PrepareForUpdate(V2HorizontalPodAutoscaler obj, V2HorizontalPodAutoscaler old, bool statusOnly)
    {
        if (statusOnly)
        {
            obj.Spec = ModelCopy.Clone(old.Spec);
            return;
        }

        obj.Status = ModelCopy.Clone(old.Status);
    }

    protected override void Default(V2HorizontalPodAutoscaler obj)
    {
        var spec = obj.Spec ??= new V2HorizontalPodAutoscalerSpec();
        spec.MinReplicas ??= 1;
        if (spec.Metrics is not { Count: > 0 })
        {
            spec.Metrics =
            [
                new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = DefaultCpuUtilization } },
                },
            ];
        }

        // SetDefaults_HorizontalPodAutoscalerBehavior: only a given behavior is completed.
        if (spec.Behavior is { } behavior)
        {
            behavior.ScaleUp = ScalingRules.CompleteScaleUp(behavior.ScaleUp);
            behavior.ScaleDown = ScalingRules.CompleteScaleDown(behavior.ScaleDown);
        }
    }

    protected override void Validate(V2HorizontalPodAutoscaler obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V2HorizontalPodAutoscalerSpec();
        var path = FieldPath.Root("spec");
        if (spec.MinReplicas is < 1 and var min)
        {
            errors.Add(FieldError.Invalid(path.Child("minReplicas"), min, "must be greater than or equal to 1"));
        }

        if (spec.MaxReplicas < 1)
        {
            errors.Add(FieldError.Invalid(path.Child("maxReplicas"), spec.MaxReplicas, "must be greater than 0"));
        }

        if (spec.MinReplicas is { } minReplicas && spec.MaxReplicas < minReplicas)
        {
            errors.Add(FieldError.Invalid(path.Child("maxReplicas"), spec.MaxReplicas, "must be greater than or equal to `minReplicas`"));
        }

        // As validateHorizontalPodAutoscalerSpec: the metrics only once the reference is valid, the behavior after them.
        var reference = ValidateReference(spec.ScaleTargetRef ?? new V2CrossVersionObjectReference(), path.Child("scaleTargetRef"));
        if (reference.Count > 0)
        {
            errors.AddRange(reference);
            return;
        }

        var metrics = new List<FieldError>();
        for (var i = 0; i < (spec.Metrics?.Count ?? 0); i++)
        {
            HorizontalPodAutoscalerValidation.ValidateMetric(spec.Metrics![i], path.Child("metrics").Index(i), metrics);
        }

        if (metrics.Count > 0)
        {
            errors.AddRange(metrics);
            return;
        }

        if (spec.Behavior is { } behavior)
        {
            HorizontalPodAutoscalerValidation.ValidateRules(behavior.ScaleUp, path.Child("behavior").Child("scaleUp"), errors);
            HorizontalPodAutoscalerValidation.ValidateRules(behavior.ScaleDown, path.Child("behavior").Child("scaleDown"), errors);
        }
    }

    private static List<FieldError> ValidateReference(V2CrossVersionObjectReference reference, FieldPath path)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(reference.Kind))
        {
            errors.Add(FieldError.Required(path.Child("kind")));
        }
        else
        {
            errors.AddRange(HorizontalPodAutoscalerValidation.PathSegmentName(reference.Kind).Select(m => FieldError.Invalid(path.Child("kind"), reference.Kind, m)));
        }

        if (string.IsNullOrEmpty(reference.Name))
        {
            errors.Add(FieldError.Required(path.Child("name")));
        }
        else
        {
            errors.AddRange(HorizontalPodAutoscalerValidation.PathSegmentName(reference.Name).Select(m => FieldError.Invalid(path.Child("name"), reference.Name, m)));
        }

        return errors;
    }
}
