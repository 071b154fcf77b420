using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// Defaults and validation of a <c>JobSpec</c>, shared by Job and a CronJob's <c>jobTemplate</c>
/// (<c>pkg/apis/batch/v1/defaults.go</c> <c>SetDefaults_Job</c>; <c>pkg/apis/batch/validation</c>
/// <c>validateJobSpec</c>, <c>ValidateJobSpecUpdate</c>). Not validated: podFailurePolicy and successPolicy rules,
/// backoffLimitPerIndex / maxFailedIndexes bounds, and the status-update rules of <c>ValidateJobUpdateStatus</c>.
/// </summary>
internal static class JobValidation
{
    public const string NonIndexed = "NonIndexed";
    public const string Indexed = "Indexed";

    /// <summary>Upstream <c>maxParallelismForIndexedJob</c>.</summary>
    private const int MaxParallelismForIndexedJob = 100_000;

    private static readonly string[] _completionModes = [NonIndexed, Indexed];
    private static readonly string[] _restartPolicies = ["OnFailure", "Never"];
    private static readonly string[] _replacementPolicies = ["TerminatingOrFailed", "Failed"];

    /// <summary><c>SetDefaults_Job</c>'s spec part: completions and parallelism, backoffLimit, completionMode, suspend, podReplacementPolicy.</summary>
    public static void DefaultSpec(V1JobSpec spec)
    {
        // A non-parallel Job may leave both unset: both become 1.
        if (spec.Completions is null && spec.Parallelism is null)
        {
            spec.Completions = 1;
        }

        spec.Parallelism ??= 1;
        spec.BackoffLimit ??= spec.BackoffLimitPerIndex is null ? 6 : int.MaxValue;
        if (string.IsNullOrEmpty(spec.CompletionMode))
        {
            spec.CompletionMode = NonIndexed;
        }

        spec.Suspend ??= false;
        if (string.IsNullOrEmpty(spec.PodReplacementPolicy))
        {
            spec.PodReplacementPolicy = spec.PodFailurePolicy is null ? "TerminatingOrFailed" : "Failed";
        }

        PodDefaults.ApplyTemplate(spec.Template);
    }

    /// <summary>
    /// <c>ValidateJobSpec</c> (<paramref name="template"/> false) or <c>ValidateJobTemplateSpec</c>'s spec part (true:
    /// the selector is generated later, so none may be given).
    /// </summary>
    public static void ValidateSpec(V1JobSpec spec, FieldPath path, List<FieldError> errors, bool template = false)
    {
        NonNegative(spec.Parallelism, path.Child("parallelism"), errors);
        NonNegative(spec.Completions, path.Child("completions"), errors);
        NonNegative(spec.ActiveDeadlineSeconds, path.Child("activeDeadlineSeconds"), errors);
        NonNegative(spec.BackoffLimit, path.Child("backoffLimit"), errors);
        NonNegative(spec.TtlSecondsAfterFinished, path.Child("ttlSecondsAfterFinished"), errors);
        if (spec.CompletionMode is { } mode)
        {
            if (!_completionModes.Contains(mode))
            {
                errors.Add(FieldError.NotSupported(path.Child("completionMode"), mode, _completionModes));
            }
            else if (mode == Indexed)
            {
                if (spec.Completions is null)
                {
                    errors.Add(FieldError.Required(path.Child("completions"), "when completion mode is Indexed"));
                }

                if (spec.Parallelism is > MaxParallelismForIndexedJob and var parallelism)
                {
                    errors.Add(FieldError.Invalid(path.Child("parallelism"), parallelism, "must be less than or equal to 100000 when completion mode is Indexed"));
                }
            }
        }

        if (spec.PodReplacementPolicy is { } replacement && !_replacementPolicies.Contains(replacement))
        {
            errors.Add(FieldError.NotSupported(path.Child("podReplacementPolicy"), replacement, _replacementPolicies));
        }

        if (template)
        {
            if (spec.Selector is not null)
            {
                errors.Add(FieldError.InvalidRendered(path.Child("selector"), GoSyntax.LabelSelector(spec.Selector), "`selector` will be auto-generated"));
            }

            if (spec.ManualSelector == true)
            {
                errors.Add(FieldError.NotSupported(path.Child("manualSelector"), "true", ["nil", "false"]));
            }
        }
        else if (spec.Selector is null)
        {
            errors.Add(FieldError.Required(path.Child("selector")));
        }
        else
        {
            errors.AddRange(FieldValidators.LabelSelector(spec.Selector, path.Child("selector")));

            // Whether manually or automatically generated, the selector must match the pods the Job makes.
            if (!LabelSelectors.Matches(spec.Selector, spec.Template?.Metadata?.Labels))
            {
                errors.Add(FieldError.InvalidRendered(path.Child("template").Child("metadata").Child("labels"), GoSyntax.StringMap(spec.Template?.Metadata?.Labels), "`selector` does not match template `labels`"));
            }
        }

        ValidateTemplate(spec.Template, path.Child("template"), errors);
    }

    /// <summary><c>ValidateJobSpecUpdate</c>: selector, template (unless the Job is suspended), completionMode and (except elastic Indexed Jobs) completions are immutable.</summary>
    public static void ValidateSpecUpdate(V1JobSpec spec, V1JobSpec old, FieldPath path, List<FieldError> errors)
    {
        if (!ModelCopy.SemanticEqual(spec.Selector, old.Selector))
        {
            errors.Add(FieldError.InvalidRendered(path.Child("selector"), GoSyntax.LabelSelector(spec.Selector), FieldValidators.FieldImmutable));
        }

        // A suspended Job that never started may change its template's scheduling directives (upstream
        // AllowMutableSchedulingDirectives); Berth allows the whole template then, as it schedules on node selectors only.
        if (!(old.Suspend == true) && !ModelCopy.SemanticEqual(spec.Template, old.Template))
        {
            errors.Add(FieldError.InvalidRendered(path.Child("template"), "core.PodTemplateSpec{...}", FieldValidators.FieldImmutable));
        }

        if (spec.CompletionMode != old.CompletionMode)
        {
            errors.Add(FieldError.Invalid(path.Child("completionMode"), spec.CompletionMode, FieldValidators.FieldImmutable));
        }

        if (old.CompletionMode == Indexed && spec.CompletionMode == Indexed && spec.Completions is not null && old.Completions is not null)
        {
            // Elastic Indexed Jobs (KEP-3715): completions may follow parallelism.
            if (spec.Completions != old.Completions && spec.Completions != spec.Parallelism)
            {
                errors.Add(FieldError.Invalid(path.Child("completions"), spec.Completions.Value, "can only be modified in tandem with spec.parallelism"));
            }
        }
        else if (spec.Completions != old.Completions)
        {
            errors.Add(FieldError.InvalidRendered(path.Child("completions"), spec.Completions?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null", FieldValidators.FieldImmutable));
        }
    }

    /// <summary>Upstream <c>validatePodTemplateSpec</c> for Jobs: a pod template whose restartPolicy is OnFailure or Never.</summary>
    private static void ValidateTemplate(V1PodTemplateSpec? template, FieldPath path, List<FieldError> errors)
    {
        PodValidation.ValidateTemplate(template, path, errors);
        if (template is null)
        {
            return;
        }

        var restartPolicy = template.Spec?.RestartPolicy ?? "";
        if (!_restartPolicies.Contains(restartPolicy))
        {
            errors.Add(FieldError.NotSupported(path.Child("spec").Child("restartPolicy"), restartPolicy, _restartPolicies));
        }
    }

    private static void NonNegative(long? value, FieldPath path, List<FieldError> errors)
    {
        if (value is { } v)
        {
            errors.AddRange(FieldValidators.NonNegative(v, path));
        }
    }
}
