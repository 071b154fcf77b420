using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// Selector and template rules shared by Deployment, ReplicaSet and StatefulSet (pkg/apis/apps/validation:
/// <c>ValidateDeploymentSpec</c>, <c>ValidateReplicaSetSpec</c>, <c>ValidateStatefulSetSpec</c>,
/// <c>ValidatePodTemplateSpecForReplicaSet</c>).
/// </summary>
internal static class WorkloadValidation
{
    /// <param name="emptySelectorOwner">The noun of the empty-selector message: upstream says "deployment" for
    /// ReplicaSets too, "statefulset" for StatefulSets.</param>
    public static void ValidateReplicasAndSelector(int? replicas, V1LabelSelector? selector, V1PodTemplateSpec? template, string kind, FieldPath spec, List<FieldError> errors, string emptySelectorOwner = "deployment")
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
                errors.Add(FieldError.InvalidRendered(spec.Child("selector"), GoSyntax.LabelSelector(selector), "empty selector is invalid for " + emptySelectorOwner));
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

        ValidateTemplate(template, kind, templatePath, errors);
    }

    /// <summary>The pod template of a long-running workload: a valid pod, restartPolicy Always, no activeDeadlineSeconds.</summary>
    public static void ValidateTemplate(V1PodTemplateSpec template, string kind, FieldPath templatePath, List<FieldError> errors)
    {
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

    /// <summary><c>ValidatePositiveIntOrPercent</c>; returns the number (or percentage), -1 when unusable.</summary>
    public static int IntOrPercent(IntOrString? value, FieldPath path, List<FieldError> errors)
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
