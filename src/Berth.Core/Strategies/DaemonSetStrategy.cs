using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The DaemonSet strategy (apps/v1; <c>pkg/registry/apps/daemonset/strategy.go</c>, <c>SetDefaults_DaemonSet</c>,
/// <c>pkg/apis/apps/validation</c> <c>ValidateDaemonSet</c>). The generation bump is the API server's.
/// </summary>
public sealed class DaemonSetStrategy : ResourceStrategy<V1DaemonSet>
{
    private static readonly string[] _updateStrategies = ["RollingUpdate", "OnDelete"];

    protected override void PrepareForCreate(V1DaemonSet obj) => obj.Status = new V1DaemonSetStatus();

    protected override void PrepareForUpdate(V1DaemonSet obj, V1DaemonSet old, bool statusOnly)
    {
        if (statusOnly)
        {
            obj.Spec = ModelCopy.Clone(old.Spec);
            return;
        }

        obj.Status = ModelCopy.Clone(old.Status);
    }

    /// <summary><c>SetDefaults_DaemonSet</c> plus pod template defaults.</summary>
    protected override void Default(V1DaemonSet obj)
    {
        var spec = obj.Spec ??= new V1DaemonSetSpec();
        var strategy = spec.UpdateStrategy ??= new V1DaemonSetUpdateStrategy();
        if (string.IsNullOrEmpty(strategy.Type))
        {
            strategy.Type = "RollingUpdate";
        }

        if (strategy.Type == "RollingUpdate")
        {
            strategy.RollingUpdate ??= new V1RollingUpdateDaemonSet();
            strategy.RollingUpdate.MaxUnavailable ??= 1;
            strategy.RollingUpdate.MaxSurge ??= 0;
        }

        spec.RevisionHistoryLimit ??= 10;
        PodDefaults.ApplyTemplate(spec.Template);
    }

    protected override void Validate(V1DaemonSet obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1DaemonSetSpec();
        var path = FieldPath.Root("spec");
        WorkloadValidation.ValidateReplicasAndSelector(null, spec.Selector, spec.Template, "DaemonSet", path, errors);
        errors.AddRange(FieldValidators.NonNegative(spec.MinReadySeconds ?? 0, path.Child("minReadySeconds")));
        if (spec.RevisionHistoryLimit is { } limit)
        {
            errors.AddRange(FieldValidators.NonNegative(limit, path.Child("revisionHistoryLimit")));
        }

        var type = spec.UpdateStrategy?.Type ?? "";
        if (!_updateStrategies.Contains(type))
        {
            errors.Add(FieldError.NotSupported(path.Child("updateStrategy").Child("type"), type, _updateStrategies));
        }
    }

    protected override void ValidateUpdate(V1DaemonSet obj, V1DaemonSet old, List<FieldError> errors)
    {
        WorkloadValidation.ValidateSelectorUpdate(obj.Spec?.Selector, old.Spec?.Selector, errors);
        Validate(obj, errors);
    }
}
