using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>The ReplicaSet strategy (apps/v1).</summary>
public sealed class ReplicaSetStrategy : ResourceStrategy<V1ReplicaSet>
{
    protected override void PrepareForCreate(V1ReplicaSet obj) => obj.Status = new V1ReplicaSetStatus { Replicas = 0 };

    protected override void PrepareForUpdate(V1ReplicaSet obj, V1ReplicaSet old, bool statusOnly)
    {
        if (statusOnly)
        {
            obj.Spec = ModelCopy.Clone(old.Spec);
            return;
        }

        obj.Status = ModelCopy.Clone(old.Status);
    }

    protected override void Default(V1ReplicaSet obj)
    {
        var spec = obj.Spec ??= new V1ReplicaSetSpec();
        spec.Replicas ??= 1;
        PodDefaults.ApplyTemplate(spec.Template);
    }

    protected override void Validate(V1ReplicaSet obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1ReplicaSetSpec();
        var path = FieldPath.Root("spec");
        WorkloadValidation.ValidateReplicasAndSelector(spec.Replicas, spec.Selector, spec.Template, "ReplicaSet", path, errors);
        errors.AddRange(Validation.FieldValidators.NonNegative(spec.MinReadySeconds ?? 0, path.Child("minReadySeconds")));
    }

    protected override void ValidateUpdate(V1ReplicaSet obj, V1ReplicaSet old, List<FieldError> errors)
    {
        WorkloadValidation.ValidateSelectorUpdate(obj.Spec?.Selector, old.Spec?.Selector, errors);
        Validate(obj, errors);
    }

    protected override string? GetSelectableField(V1ReplicaSet obj, string field) => field switch
    {
        "status.replicas" => (obj.Status?.Replicas ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };
}
