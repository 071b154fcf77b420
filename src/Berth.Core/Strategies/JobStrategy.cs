using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The Job strategy (batch/v1; <c>pkg/registry/batch/job/strategy.go</c>, defaults of <c>pkg/apis/batch/v1/defaults.go</c>,
/// validation of <c>pkg/apis/batch/validation</c>). The selector is generated on create unless
/// <c>spec.manualSelector</c> is true.
/// </summary>
public sealed class JobStrategy : ResourceStrategy<V1Job>
{
    protected override void PrepareForCreate(V1Job obj)
    {
        obj.Status = new V1JobStatus();

        // Kubernetes defaults on decode, before the strategy: the Job's labels copy the template's as the client sent
        // them, without the generated ones.
        CopyTemplateLabels(obj);
        if (obj.Spec?.ManualSelector != true && obj.Spec is not null)
        {
            GenerateSelector(obj);
        }
    }

    protected override void PrepareForUpdate(V1Job obj, V1Job old, bool statusOnly)
    {
        if (statusOnly)
        {
            obj.Spec = ModelCopy.Clone(old.Spec);
            return;
        }

        obj.Status = ModelCopy.Clone(old.Status);
    }

    /// <summary><c>SetDefaults_Job</c> plus pod template defaults.</summary>
    protected override void Default(V1Job obj)
    {
        var spec = obj.Spec ??= new V1JobSpec();
        JobValidation.DefaultSpec(spec);
        CopyTemplateLabels(obj);
    }

    protected override void Validate(V1Job obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1JobSpec();
        ValidateGeneratedSelector(obj, errors);
        JobValidation.ValidateSpec(spec, FieldPath.Root("spec"), errors);
        if (spec.CompletionMode == JobValidation.Indexed && spec.Completions is > 0 and var completions)
        {
            // The controller names each pod's host name <job>-<index>; upstream checks the largest one here.
            var hostname = obj.Metadata?.Name + "-" + (completions - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (Validation.FieldValidators.DNS1123Label(hostname, FieldPath.Root("x")).Any())
            {
                errors.Add(FieldError.Invalid(FieldPath.Root("metadata").Child("name"), obj.Metadata?.Name, "will not able to create pod with invalid DNS label: " + hostname));
            }
        }
    }

    protected override void ValidateUpdate(V1Job obj, V1Job old, List<FieldError> errors)
    {
        Validate(obj, errors);
        JobValidation.ValidateSpecUpdate(obj.Spec ?? new V1JobSpec(), old.Spec ?? new V1JobSpec(), FieldPath.Root("spec"), errors);
    }

    protected override string? GetSelectableField(V1Job obj, string field) => field switch
    {
        "status.successful" => (obj.Status?.Succeeded ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    private static void CopyTemplateLabels(V1Job obj)
    {
        if (obj.Spec?.Template?.Metadata?.Labels is { } labels && (obj.Metadata.Labels is null || obj.Metadata.Labels.Count == 0))
        {
            obj.Metadata.Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        }
    }

    /// <summary>Upstream <c>generateSelector</c>: labels the template with the Job's UID and name and selects the UID.</summary>
    private static void GenerateSelector(V1Job obj)
    {
        var template = obj.Spec.Template ??= new V1PodTemplateSpec();
        template.Metadata ??= new V1ObjectMeta();
        var labels = template.Metadata.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);

        // A label the client set itself is kept: a conflict is refused by validation.
        labels.TryAdd(BatchLabels.LegacyJobName, obj.Metadata.Name);
        labels.TryAdd(BatchLabels.JobName, obj.Metadata.Name);
        labels.TryAdd(BatchLabels.LegacyControllerUid, obj.Metadata.Uid);
        labels.TryAdd(BatchLabels.ControllerUid, obj.Metadata.Uid);
        var selector = obj.Spec.Selector ??= new V1LabelSelector();
        selector.MatchLabels ??= new Dictionary<string, string>(StringComparer.Ordinal);
        selector.MatchLabels.TryAdd(BatchLabels.ControllerUid, obj.Metadata.Uid);
    }

    /// <summary>Upstream <c>validateGeneratedSelector</c>: a generated selector must select the Job's own UID and name.</summary>
    private static void ValidateGeneratedSelector(V1Job obj, List<FieldError> errors)
    {
        var spec = obj.Spec;
        if (spec is null || spec.ManualSelector == true || spec.Template?.Metadata?.Labels is not { } labels || spec.Selector is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(obj.Metadata.Uid))
        {
            errors.Add(FieldError.Required(FieldPath.Root("metadata").Child("uid")));
        }

        var path = FieldPath.Root("spec").Child("template").Child("metadata");
        HasLabel(labels, path, BatchLabels.LegacyControllerUid, obj.Metadata.Uid ?? "", errors);
        HasLabel(labels, path, BatchLabels.LegacyJobName, obj.Metadata.Name ?? "", errors);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BatchLabels.LegacyControllerUid] = obj.Metadata.Uid ?? "",
            [BatchLabels.LegacyJobName] = obj.Metadata.Name ?? "",
            [BatchLabels.ControllerUid] = obj.Metadata.Uid ?? "",
            [BatchLabels.JobName] = obj.Metadata.Name ?? "",
        };
        if (!Validation.LabelSelectors.Matches(spec.Selector, expected))
        {
            errors.Add(FieldError.InvalidRendered(FieldPath.Root("spec").Child("selector"), Validation.GoSyntax.LabelSelector(spec.Selector), "`selector` not auto-generated"));
        }
    }

    /// <summary><c>apivalidation.ValidateHasLabel</c>.</summary>
    private static void HasLabel(IDictionary<string, string> labels, FieldPath path, string key, string expected, List<FieldError> errors)
    {
        if (!labels.TryGetValue(key, out var actual))
        {
            errors.Add(FieldError.Required(path.Child("labels").Key(key), expected));
        }
        else if (actual != expected)
        {
            errors.Add(FieldError.InvalidRendered(path.Child("labels").Key(key), Validation.GoSyntax.StringMap(labels), expected));
        }
    }
}
