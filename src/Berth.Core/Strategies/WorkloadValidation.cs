using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// Selector and template rules shared by Deployment and ReplicaSet (pkg/apis/apps/validation:
/// <c>ValidateDeploymentSpec</c>, <c>ValidateReplicaSetSpec</c>, <c>ValidatePodTemplateSpecForReplicaSet</c>).
/// </summary>
internal static class WorkloadValidation
{
    public static void ValidateReplicasAndSelector(int? replicas, V1LabelSelector? selector, V1PodTemplateSpec? template, string kind, FieldPath spec, List<FieldError> errors)
    {
        errors.AddRange(FieldValidators.NonNegative(replicas ?? 0, spec.Child("replicas")));
        if (selector is null)
        {
            errors.Add(FieldError.Required(spec.Child("selector")));
        }
        else
        {
            errors.AddRange(FieldValidators.LabelSelector(selector, spec.Child("selector")));
            if (LabelSelectors.IsEmpty(selector))
            {
                // Upstream uses the Deployment wording for ReplicaSets too.
                errors.Add(FieldError.InvalidRendered(spec.Child("selector"), GoSyntax.LabelSelector(selector), "empty selector is invalid for deployment"));
            }
        }

        var templatePath = spec.Child("template");
        if (template is null)
        {
            errors.Add(FieldError.Required(templatePath));
            return;
        }

        if (selector is not null && !LabelSelectors.IsEmpty(selector) && !LabelSelectors.Matches(selector, template.Metadata?.Labels))
        {
            errors.Add(FieldError.InvalidRendered(templatePath.Child("metadata").Child("labels"), GoSyntax.StringMap(template.Metadata?.Labels), "`selector` does not match template `labels`"));
        }

        PodValidation.ValidateTemplate(template, templatePath, errors);
        var restartPolicy = template.Spec?.RestartPolicy ?? "";
        if (restartPolicy != "Always")
        {
            errors.Add(FieldError.NotSupported(templatePath.Child("spec").Child("restartPolicy"), restartPolicy, ["Always"]));
        }

        if (template.Spec?.ActiveDeadlineSeconds is not null)
        {
            errors.Add(FieldError.Forbidden(templatePath.Child("spec").Child("activeDeadlineSeconds"), "activeDeadlineSeconds in " + kind + " is not Supported"));
        }
    }

    /// <summary>apps/v1 selectors are immutable.</summary>
    public static void ValidateSelectorUpdate(V1LabelSelector? selector, V1LabelSelector? old, List<FieldError> errors)
    {
        if (!ModelCopy.SemanticEqual(selector, old))
        {
            errors.Add(FieldError.InvalidRendered(FieldPath.Root("spec").Child("selector"), GoSyntax.LabelSelector(selector), FieldValidators.FieldImmutable));
        }
    }
}
