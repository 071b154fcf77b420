using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>The Deployment strategy (apps/v1 defaults and validation). The generation bump is the API server's.</summary>
public sealed class DeploymentStrategy : ResourceStrategy<V1Deployment>
{
    protected override void PrepareForCreate(V1Deployment obj) => obj.Status = new V1DeploymentStatus();

    protected override void PrepareForUpdate(V1Deployment obj, V1Deployment old, bool statusOnly)
    {
        if (statusOnly)
        {
            obj.Spec = ModelCopy.Clone(old.Spec);
            return;
        }

        obj.Status = ModelCopy.Clone(old.Status);
    }

    /// <summary><c>SetDefaults_Deployment</c> (apps/v1) plus pod template defaults.</summary>
    protected override void Default(V1Deployment obj)
    {
        var spec = obj.Spec ??= new V1DeploymentSpec();
        spec.Replicas ??= 1;
        var strategy = spec.Strategy ??= new V1DeploymentStrategy();
        if (string.IsNullOrEmpty(strategy.Type))
        {
            strategy.Type = "RollingUpdate";
        }

        if (strategy.Type == "RollingUpdate")
        {
            strategy.RollingUpdate ??= new V1RollingUpdateDeployment();
            strategy.RollingUpdate.MaxUnavailable ??= "25%";
            strategy.RollingUpdate.MaxSurge ??= "25%";
        }

        spec.RevisionHistoryLimit ??= 10;
        spec.ProgressDeadlineSeconds ??= 600;
        PodDefaults.ApplyTemplate(spec.Template);
    }

    protected override void Validate(V1Deployment obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1DeploymentSpec();
        var path = FieldPath.Root("spec");
        WorkloadValidation.ValidateReplicasAndSelector(spec.Replicas, spec.Selector, spec.Template, "ReplicaSet", path, errors);
        ValidateStrategy(spec.Strategy ?? new V1DeploymentStrategy(), path.Child("strategy"), errors);
        errors.AddRange(FieldValidators.NonNegative(spec.MinReadySeconds ?? 0, path.Child("minReadySeconds")));
        if (spec.RevisionHistoryLimit is { } limit)
        {
            errors.AddRange(FieldValidators.NonNegative(limit, path.Child("revisionHistoryLimit")));
        }

        if (spec.ProgressDeadlineSeconds is { } deadline)
        {
            errors.AddRange(FieldValidators.NonNegative(deadline, path.Child("progressDeadlineSeconds")));
            if (deadline <= (spec.MinReadySeconds ?? 0))
            {
                errors.Add(FieldError.Invalid(path.Child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds"));
            }
        }
    }

    protected override void ValidateUpdate(V1Deployment obj, V1Deployment old, List<FieldError> errors)
    {
        WorkloadValidation.ValidateSelectorUpdate(obj.Spec?.Selector, old.Spec?.Selector, errors);
        Validate(obj, errors);
    }

    private static void ValidateStrategy(V1DeploymentStrategy strategy, FieldPath path, List<FieldError> errors)
    {
        switch (strategy.Type)
        {
            case "Recreate":
                if (strategy.RollingUpdate is not null)
                {
                    errors.Add(FieldError.Forbidden(path.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"));
                }

                break;
            case "RollingUpdate":
                if (strategy.RollingUpdate is null)
                {
                    errors.Add(FieldError.Required(path.Child("rollingUpdate"), "this should be defaulted and never be nil"));
                }
                else
                {
                    ValidateRollingUpdate(strategy.RollingUpdate, path.Child("rollingUpdate"), errors);
                }

                break;
            default:
                errors.Add(FieldError.NotSupported(path.Child("type"), strategy.Type ?? "", ["Recreate", "RollingUpdate"]));
                break;
        }
    }

    private static void ValidateRollingUpdate(V1RollingUpdateDeployment rollingUpdate, FieldPath path, List<FieldError> errors)
    {
        var unavailable = IntOrPercent(rollingUpdate.MaxUnavailable, path.Child("maxUnavailable"), errors);
        var surge = IntOrPercent(rollingUpdate.MaxSurge, path.Child("maxSurge"), errors);
        if (unavailable == 0 && surge == 0)
        {
            errors.Add(FieldError.Invalid(path.Child("maxUnavailable"), rollingUpdate.MaxUnavailable?.Value, "may not be 0 when `maxSurge` is 0"));
        }

        if (rollingUpdate.MaxUnavailable?.Value is { } v && v.EndsWith('%') && unavailable > 100)
        {
            errors.Add(FieldError.Invalid(path.Child("maxUnavailable"), v, "must not be greater than 100%"));
        }
    }

    /// <summary><c>ValidatePositiveIntOrPercent</c>; returns the number (or percentage), -1 when unusable.</summary>
    internal static int IntOrPercent(IntOrString? value, FieldPath path, List<FieldError> errors)
    {
        var text = value?.Value ?? "0";
        if (text.EndsWith('%'))
        {
            if (!int.TryParse(text[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var percent))
            {
                errors.Add(FieldError.Invalid(path, text, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
                return -1;
            }

            return percent;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            errors.AddRange(FieldValidators.NonNegative(n, path));
            return n;
        }

        errors.Add(FieldError.Invalid(path, text, "must be an integer or percentage (e.g '5%')"));
        return -1;
    }
}
