using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The StatefulSet strategy (apps/v1): <c>SetDefaults_StatefulSet</c>, <c>ValidateStatefulSet</c> and
/// <c>ValidateStatefulSetUpdate</c> of pkg/apis/apps. <c>volumeClaimTemplates</c> are accepted and kept, not provisioned.
/// </summary>
public sealed class StatefulSetStrategy : ResourceStrategy<V1StatefulSet>
{
    private const string OrderedReady = "OrderedReady";
    private const string Parallel = "Parallel";
    private const string RollingUpdate = "RollingUpdate";
    private const string OnDelete = "OnDelete";

    /// <summary>Upstream's message (pkg/apis/apps/validation, Kubernetes 1.31+).</summary>
    private const string SpecUpdateForbidden =
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

    protected override void PrepareForCreate(V1StatefulSet obj) => obj.Status = new V1StatefulSetStatus { Replicas = 0 };

    protected override void PrepareForUpdate(V1StatefulSet obj, V1StatefulSet old, bool statusOnly)
    {
        if (statusOnly)
        {
            obj.Spec = ModelCopy.Clone(old.Spec);
            return;
        }

        obj.Status = ModelCopy.Clone(old.Status);
    }

    /// <summary><c>SetDefaults_StatefulSet</c> (apps/v1) plus pod template defaults; maxUnavailable is left unset (the MaxUnavailableStatefulSet gate is off by default).</summary>
    protected override void Default(V1StatefulSet obj)
    {
        var spec = obj.Spec ??= new V1StatefulSetSpec();
        if (string.IsNullOrEmpty(spec.PodManagementPolicy))
        {
            spec.PodManagementPolicy = OrderedReady;
        }

        var strategy = spec.UpdateStrategy ??= new V1StatefulSetUpdateStrategy();
        if (string.IsNullOrEmpty(strategy.Type))
        {
            strategy.Type = RollingUpdate;
            strategy.RollingUpdate ??= new V1RollingUpdateStatefulSetStrategy();
        }

        if (strategy.Type == RollingUpdate && strategy.RollingUpdate is { } rolling)
        {
            rolling.Partition ??= 0;
        }

        var retention = spec.PersistentVolumeClaimRetentionPolicy ??= new V1StatefulSetPersistentVolumeClaimRetentionPolicy();
        if (string.IsNullOrEmpty(retention.WhenDeleted))
        {
            retention.WhenDeleted = "Retain";
        }

        if (string.IsNullOrEmpty(retention.WhenScaled))
        {
            retention.WhenScaled = "Retain";
        }

        spec.Replicas ??= 1;
        spec.RevisionHistoryLimit ??= 10;
        PodDefaults.ApplyTemplate(spec.Template);
    }

    protected override void Validate(V1StatefulSet obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1StatefulSetSpec();
        var path = FieldPath.Root("spec");
        if (!string.IsNullOrEmpty(spec.ServiceName))
        {
            foreach (var message in NameValidators.DNS1035Label(spec.ServiceName, prefix: false))
            {
                errors.Add(FieldError.Invalid(path.Child("serviceName"), spec.ServiceName, message));
            }
        }

        switch (spec.PodManagementPolicy)
        {
            case null or "":
                errors.Add(FieldError.Required(path.Child("podManagementPolicy")));
                break;
            case OrderedReady or Parallel:
                break;
            default:
                errors.Add(FieldError.Invalid(path.Child("podManagementPolicy"), spec.PodManagementPolicy, $"must be '{OrderedReady}' or '{Parallel}'"));
                break;
        }

        ValidateUpdateStrategy(spec.UpdateStrategy, path.Child("updateStrategy"), errors);
        ValidateRetentionPolicy(spec.PersistentVolumeClaimRetentionPolicy, path.Child("persistentVolumeClaimRetentionPolicy"), errors);
        errors.AddRange(FieldValidators.NonNegative(spec.MinReadySeconds ?? 0, path.Child("minReadySeconds")));
        if (spec.Ordinals?.Start is { } start)
        {
            errors.AddRange(FieldValidators.NonNegative(start, path.Child("ordinals.start")));
        }

        WorkloadValidation.ValidateReplicasAndSelector(spec.Replicas, spec.Selector, spec.Template, "StatefulSet", path, errors, "statefulset");
    }

    protected override void ValidateUpdate(V1StatefulSet obj, V1StatefulSet old, List<FieldError> errors)
    {
        Validate(obj, errors);

        // Everything but the mutable fields must be unchanged (upstream compares a clone with those copied from old).
        var changed = ModelCopy.Clone(obj.Spec) ?? new V1StatefulSetSpec();
        var previous = old.Spec ?? new V1StatefulSetSpec();
        changed.Replicas = previous.Replicas;
        changed.Template = previous.Template;
        changed.UpdateStrategy = previous.UpdateStrategy;
        changed.MinReadySeconds = previous.MinReadySeconds;
        changed.Ordinals = previous.Ordinals;
        changed.RevisionHistoryLimit = previous.RevisionHistoryLimit;
        changed.PersistentVolumeClaimRetentionPolicy = previous.PersistentVolumeClaimRetentionPolicy;
        if (!ModelCopy.SemanticEqual(changed, previous))
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("spec"), SpecUpdateForbidden));
        }
    }

    protected override string? GetSelectableField(V1StatefulSet obj, string field) => field switch
    {
        "status.replicas" => (obj.Status?.Replicas ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    private static void ValidateUpdateStrategy(V1StatefulSetUpdateStrategy? strategy, FieldPath path, List<FieldError> errors)
    {
        switch (strategy?.Type)
        {
            case null or "":
                errors.Add(FieldError.Required(path));
                break;
            case OnDelete:
                if (strategy.RollingUpdate is not null)
                {
                    errors.Add(FieldError.InvalidRendered(path.Child("rollingUpdate"), "{}", $"only allowed for updateStrategy '{RollingUpdate}'"));
                }

                break;
            case RollingUpdate:
                if (strategy.RollingUpdate is { } rolling)
                {
                    var rollingPath = path.Child("rollingUpdate");
                    errors.AddRange(FieldValidators.NonNegative(rolling.Partition ?? 0, rollingPath.Child("partition")));
                    if (rolling.MaxUnavailable is { } maxUnavailable)
                    {
                        var value = WorkloadValidation.IntOrPercent(maxUnavailable, rollingPath.Child("maxUnavailable"), errors);
                        if (value == 0)
                        {
                            errors.Add(FieldError.Invalid(rollingPath.Child("maxUnavailable"), maxUnavailable.Value, "must be greater than zero"));
                        }

                        if (maxUnavailable.Value.EndsWith('%') && value > 100)
                        {
                            errors.Add(FieldError.Invalid(rollingPath.Child("maxUnavailable"), maxUnavailable.Value, "must not be greater than 100%"));
                        }
                    }
                }

                break;
            default:
                errors.Add(FieldError.Invalid(path, strategy.Type, $"must be '{RollingUpdate}' or '{OnDelete}'"));
                break;
        }
    }

    private static void ValidateRetentionPolicy(V1StatefulSetPersistentVolumeClaimRetentionPolicy? policy, FieldPath path, List<FieldError> errors)
    {
        if (policy is null)
        {
            return;
        }

        string[] supported = ["Retain", "Delete"];
        if (!supported.Contains(policy.WhenDeleted))
        {
            errors.Add(FieldError.NotSupported(path.Child("whenDeleted"), policy.WhenDeleted, supported));
        }

        if (!supported.Contains(policy.WhenScaled))
        {
            errors.Add(FieldError.NotSupported(path.Child("whenScaled"), policy.WhenScaled, supported));
        }
    }
}
