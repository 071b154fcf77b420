using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>The metric and behavior checks of pkg/apis/autoscaling/validation/validation.go, with its paths and messages.</summary>
internal static class HorizontalPodAutoscalerValidation
{
    private const int MaxStabilizationWindowSeconds = 3600;
    private const int MaxPeriodSeconds = 1800;
    private static readonly string[] _metricSourceTypes = ["ContainerResource", "External", "Object", "Pods", "Resource"];
    private static readonly string[] _selectPolicies = ["Disabled", "Max", "Min"];
    private static readonly string[] _policyTypes = ["Percent", "Pods"];

    /// <summary>apimachinery's <c>IsValidPathSegmentName</c>.</summary>
    public static IEnumerable<string> PathSegmentName(string name)
    {
        if (name is "." or "..")
        {
            yield return $"may not be '{name}'";
            yield break;
        }

        foreach (var illegal in new[] { "/", "%" })
        {
            if (name.Contains(illegal, StringComparison.Ordinal))
            {
                yield return $"may not contain '{illegal}'";
            }
        }
    }

    public static void ValidateMetric(V2MetricSpec metric, FieldPath path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(metric.Type))
        {
            errors.Add(FieldError.Required(path.Child("type"), "must specify a metric source type"));
        }

        if (!_metricSourceTypes.Contains(metric.Type))
        {
            errors.Add(FieldError.NotSupported(path.Child("type"), metric.Type ?? "", _metricSourceTypes));
        }

        var present = new SortedSet<string>(StringComparer.Ordinal);
        if (metric.ObjectProperty is not null)
        {
            present.Add("object");
        }

        if (metric.External is not null)
        {
            present.Add("external");
        }

        if (metric.Pods is not null)
        {
            present.Add("pods");
        }

        if (metric.Resource is not null)
        {
            present.Add("resource");
        }

        if (metric.ContainerResource is not null)
        {
            present.Add("containerResource");
        }

        var expected = metric.Type is { Length: > 0 } t ? char.ToLowerInvariant(t[0]) + t[1..] : "";
        if (expected.Length > 0 && !present.Contains(expected))
        {
            errors.Add(FieldError.Required(path.Child(expected), "must populate information for the given metric source"));
        }

        if (present.Count != 1)
        {
            foreach (var other in present.Where(p => p != expected))
            {
                errors.Add(FieldError.Forbidden(path.Child(other), "must populate the given metric source only"));
            }
        }

        if (metric.Resource is { } resource)
        {
            ValidateResourceTarget(resource.Name, resource.Target, path.Child("resource"), errors);
        }

        if (metric.ContainerResource is { } container)
        {
            if (string.IsNullOrEmpty(container.Container))
            {
                errors.Add(FieldError.Required(path.Child("containerResource").Child("container"), "must specify a container"));
            }

            ValidateResourceTarget(container.Name, container.Target, path.Child("containerResource"), errors);
        }
    }

    public static void ValidateRules(V2HPAScalingRules? rules, FieldPath path, List<FieldError> errors)
    {
        if (rules is null)
        {
            return;
        }

        if (rules.StabilizationWindowSeconds is < 0 and var negative)
        {
            errors.Add(FieldError.Invalid(path.Child("stabilizationWindowSeconds"), negative, "must be greater than or equal to zero"));
        }

        if (rules.StabilizationWindowSeconds is > MaxStabilizationWindowSeconds and var large)
        {
            errors.Add(FieldError.Invalid(path.Child("stabilizationWindowSeconds"), large, $"must be less than or equal to {MaxStabilizationWindowSeconds}"));
        }

        if (rules.SelectPolicy is { } select && !_selectPolicies.Contains(select))
        {
            errors.Add(FieldError.NotSupported(path.Child("selectPolicy"), select, _selectPolicies));
        }

        var policies = path.Child("policies");
        if (rules.Policies is not { Count: > 0 })
        {
            errors.Add(FieldError.Required(policies, "must specify at least one Policy"));
            return;
        }

        for (var i = 0; i < rules.Policies.Count; i++)
        {
            var policy = rules.Policies[i];
            var at = policies.Index(i);
            if (!_policyTypes.Contains(policy.Type))
            {
                errors.Add(FieldError.NotSupported(at.Child("type"), policy.Type ?? "", _policyTypes));
            }

            if (policy.Value <= 0)
            {
                errors.Add(FieldError.Invalid(at.Child("value"), policy.Value, "must be greater than zero"));
            }

            if (policy.PeriodSeconds <= 0)
            {
                errors.Add(FieldError.Invalid(at.Child("periodSeconds"), policy.PeriodSeconds, "must be greater than zero"));
            }

            if (policy.PeriodSeconds > MaxPeriodSeconds)
            {
                errors.Add(FieldError.Invalid(at.Child("periodSeconds"), policy.PeriodSeconds, $"must be less than or equal to {MaxPeriodSeconds}"));
            }
        }
    }

    private static void ValidateResourceTarget(string? name, V2MetricTarget? target, FieldPath path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldError.Required(path.Child("name"), "must specify a resource name"));
        }

        target ??= new V2MetricTarget();
        var at = path.Child("target");
        if (string.IsNullOrEmpty(target.Type))
        {
            errors.Add(FieldError.Required(at.Child("type"), "must specify a metric target type"));
        }

        if (target.Type is not ("Utilization" or "Value" or "AverageValue"))
        {
            errors.Add(FieldError.Invalid(at.Child("type"), target.Type, "must be either Utilization, Value, or AverageValue"));
        }

        if (target.Value is { } value && value.ToDecimal() <= 0)
        {
            errors.Add(FieldError.Invalid(at.Child("value"), value.ToString(), "must be positive"));
        }

        if (target.AverageValue is { } average && average.ToDecimal() <= 0)
        {
            errors.Add(FieldError.Invalid(at.Child("averageValue"), average.ToString(), "must be positive"));
        }

        if (target.AverageUtilization is < 1 and var utilization)
        {
            errors.Add(FieldError.Invalid(at.Child("averageUtilization"), utilization, "must be greater than 0"));
        }

        if (target.AverageUtilization is null && target.AverageValue is null)
        {
            errors.Add(FieldError.Required(at.Child("averageUtilization"), "must set either a target raw value or a target utilization"));
        }

        if (target.AverageUtilization is not null && target.AverageValue is not null)
        {
            errors.Add(FieldError.Forbidden(at.Child("averageValue"), "may not set both a target raw value and a target utilization"));
        }
    }
}
