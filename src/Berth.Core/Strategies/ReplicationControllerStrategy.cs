using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The ReplicationController strategy (core/v1): <c>SetDefaults_ReplicationController</c> (selector and labels default
/// to the template's labels, replicas to 1) and <c>ValidateReplicationControllerSpec</c>. Unlike apps/v1 workloads the
/// selector is a plain map and may change.
/// </summary>
public sealed class ReplicationControllerStrategy : ResourceStrategy<V1ReplicationController>
{
    protected override void PrepareForCreate(V1ReplicationController obj) => obj.Status = new V1ReplicationControllerStatus { Replicas = 0 };

    protected override void PrepareForUpdate(V1ReplicationController obj, V1ReplicationController old, bool statusOnly)
    {
        if (statusOnly)
        {
            obj.Spec = ModelCopy.Clone(old.Spec);
            return;
        }

        obj.Status = ModelCopy.Clone(old.Status);
    }

    protected override void Default(V1ReplicationController obj)
    {
        var spec = obj.Spec ??= new V1ReplicationControllerSpec();
        if (spec.Template?.Metadata?.Labels is { } labels)
        {
            if (spec.Selector is null or { Count: 0 })
            {
                spec.Selector = new Dictionary<string, string>(labels);
            }

            if (obj.Metadata is { } meta && meta.Labels is null or { Count: 0 })
            {
                meta.Labels = new Dictionary<string, string>(labels);
            }
        }

        spec.Replicas ??= 1;
        PodDefaults.ApplyTemplate(spec.Template);
    }

    protected override void Validate(V1ReplicationController obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1ReplicationControllerSpec();
        var path = FieldPath.Root("spec");
        errors.AddRange(FieldValidators.NonNegative(spec.MinReadySeconds ?? 0, path.Child("minReadySeconds")));
        if (spec.Selector is null or { Count: 0 })
        {
            errors.Add(FieldError.Required(path.Child("selector")));
        }

        errors.AddRange(FieldValidators.NonNegative(spec.Replicas ?? 0, path.Child("replicas")));
        var templatePath = path.Child("template");
        if (spec.Template is not { } template)
        {
            errors.Add(FieldError.Required(templatePath));
            return;
        }

        if (spec.Selector is { Count: > 0 } selector && !selector.All(p => template.Metadata?.Labels?.TryGetValue(p.Key, out var v) == true && v == p.Value))
        {
            errors.Add(FieldError.InvalidRendered(templatePath.Child("metadata").Child("labels"), GoSyntax.StringMap(template.Metadata?.Labels), "`selector` does not match template `labels`"));
        }

        WorkloadValidation.ValidateTemplate(template, "ReplicationController", templatePath, errors);
    }

    protected override string? GetSelectableField(V1ReplicationController obj, string field) => field switch
    {
        "status.replicas" => (obj.Status?.Replicas ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };
}
