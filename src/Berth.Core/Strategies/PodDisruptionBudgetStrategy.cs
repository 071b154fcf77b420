using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The policy/v1 PodDisruptionBudget strategy: pkg/registry/policy/poddisruptionbudget/strategy.go and
/// <c>ValidatePodDisruptionBudgetSpec</c> (pkg/apis/policy/validation).
/// </summary>
public sealed class PodDisruptionBudgetStrategy : ResourceStrategy<V1PodDisruptionBudget>
{
    private static readonly string[] _evictionPolicies = ["AlwaysAllow", "IfHealthyBudget"];

    protected override void PrepareForCreate(V1PodDisruptionBudget obj) => obj.Status = new V1PodDisruptionBudgetStatus();

    protected override void PrepareForUpdate(V1PodDisruptionBudget obj, V1PodDisruptionBudget old, bool statusOnly)
    {
        if (statusOnly)
        {
            obj.Spec = ModelCopy.Clone(old.Spec);
            return;
        }

        obj.Status = ModelCopy.Clone(old.Status);
    }

    protected override void Validate(V1PodDisruptionBudget obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1PodDisruptionBudgetSpec();
        var path = FieldPath.Root("spec");
        if (spec.MinAvailable is not null && spec.MaxUnavailable is not null)
        {
            errors.Add(FieldError.InvalidRendered(path, $"policy.PodDisruptionBudgetSpec{{MinAvailable:{spec.MinAvailable.Value}, MaxUnavailable:{spec.MaxUnavailable.Value}}}", "minAvailable and maxUnavailable cannot be both set"));
        }

        Count(spec.MinAvailable, path.Child("minAvailable"), errors);
        Count(spec.MaxUnavailable, path.Child("maxUnavailable"), errors);
        if (spec.Selector is not null)
        {
            errors.AddRange(FieldValidators.LabelSelector(spec.Selector, path.Child("selector")));
        }

        if (spec.UnhealthyPodEvictionPolicy is { } policy && !_evictionPolicies.Contains(policy))
        {
            errors.Add(FieldError.NotSupported(path.Child("unhealthyPodEvictionPolicy"), policy, _evictionPolicies));
        }
    }

    /// <summary><c>ValidatePositiveIntOrPercent</c> and <c>IsNotMoreThan100Percent</c>.</summary>
    private static void Count(IntOrString? value, FieldPath path, List<FieldError> errors)
    {
        if (value is null)
        {
            return;
        }

        var n = WorkloadValidation.IntOrPercent(value, path, errors);
        if (value.Value.EndsWith('%') && n > 100)
        {
            errors.Add(FieldError.Invalid(path, value.Value, "must not be greater than 100%"));
        }
    }
}
