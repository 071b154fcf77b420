using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The CronJob strategy (batch/v1; <c>pkg/registry/batch/cronjob/strategy.go</c>, <c>SetDefaults_CronJob</c>,
/// <c>pkg/apis/batch/validation</c> <c>ValidateCronJobCreate</c>/<c>ValidateCronJobUpdate</c>).
/// </summary>
public sealed class CronJobStrategy : ResourceStrategy<V1CronJob>
{
    private static readonly string[] _concurrencyPolicies = ["Allow", "Forbid", "Replace"];

    protected override void PrepareForCreate(V1CronJob obj) => obj.Status = new V1CronJobStatus();

    protected override void PrepareForUpdate(V1CronJob obj, V1CronJob old, bool statusOnly)
    {
        if (statusOnly)
        {
            obj.Spec = ModelCopy.Clone(old.Spec);
            return;
        }

        obj.Status = ModelCopy.Clone(old.Status);
    }

    /// <summary><c>SetDefaults_CronJob</c> plus the job template's pod template defaults.</summary>
    protected override void Default(V1CronJob obj)
    {
        var spec = obj.Spec ??= new V1CronJobSpec();
        if (string.IsNullOrEmpty(spec.ConcurrencyPolicy))
        {
            spec.ConcurrencyPolicy = "Allow";
        }

        spec.Suspend ??= false;
        spec.SuccessfulJobsHistoryLimit ??= 3;
        spec.FailedJobsHistoryLimit ??= 1;
        PodDefaults.ApplyTemplate(spec.JobTemplate?.Spec?.Template);
    }

    protected override void Validate(V1CronJob obj, List<FieldError> errors) => Validate(obj, errors, allowTimeZoneInSchedule: false);

    /// <summary>A schedule that already had a TZ= prefix may keep it (upstream <c>AllowTZInSchedule</c> on update).</summary>
    protected override void ValidateUpdate(V1CronJob obj, V1CronJob old, List<FieldError> errors) =>
        Validate(obj, errors, allowTimeZoneInSchedule: old.Spec?.Schedule?.Contains("TZ", StringComparison.Ordinal) == true);

    private static void Validate(V1CronJob obj, List<FieldError> errors, bool allowTimeZoneInSchedule)
    {
        // The Jobs it creates are named <cronjob>-<minutes since the epoch>, which must stay a DNS label.
        if (obj.Metadata?.Name is { Length: > 52 } name)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("metadata").Child("name"), name, "must be no more than 52 characters"));
        }

        var spec = obj.Spec ?? new V1CronJobSpec();
        var path = FieldPath.Root("spec");
        if (string.IsNullOrEmpty(spec.Schedule))
        {
            errors.Add(FieldError.Required(path.Child("schedule")));
        }
        else
        {
            ValidateSchedule(spec.Schedule, spec.TimeZone, allowTimeZoneInSchedule, path.Child("schedule"), errors);
        }

        if (spec.StartingDeadlineSeconds is { } deadline)
        {
            errors.AddRange(FieldValidators.NonNegative(deadline, path.Child("startingDeadlineSeconds")));
        }

        if (string.IsNullOrEmpty(spec.ConcurrencyPolicy))
        {
            errors.Add(FieldError.Required(path.Child("concurrencyPolicy")));
        }
        else if (!_concurrencyPolicies.Contains(spec.ConcurrencyPolicy))
        {
            errors.Add(FieldError.NotSupported(path.Child("concurrencyPolicy"), spec.ConcurrencyPolicy, _concurrencyPolicies));
        }

        var template = path.Child("jobTemplate");
        if (spec.JobTemplate?.Metadata is { } meta)
        {
            errors.AddRange(FieldValidators.Labels(meta.Labels, template.Child("metadata").Child("labels")));
            errors.AddRange(FieldValidators.Annotations(meta.Annotations, template.Child("metadata").Child("annotations")));
        }

        JobValidation.ValidateSpec(spec.JobTemplate?.Spec ?? new V1JobSpec(), template.Child("spec"), errors, template: true);
        if (spec.SuccessfulJobsHistoryLimit is { } successful)
        {
            errors.AddRange(FieldValidators.NonNegative(successful, path.Child("successfulJobsHistoryLimit")));
        }

        if (spec.FailedJobsHistoryLimit is { } failed)
        {
            errors.AddRange(FieldValidators.NonNegative(failed, path.Child("failedJobsHistoryLimit")));
        }

        ValidateTimeZone(spec.TimeZone, path.Child("timeZone"), errors);
    }

    /// <summary>Upstream <c>validateScheduleFormat</c>.</summary>
    private static void ValidateSchedule(string schedule, string? timeZone, bool allowTimeZoneInSchedule, FieldPath path, List<FieldError> errors)
    {
        if (!CronSchedule.TryParse(schedule, out _, out var error))
        {
            errors.Add(FieldError.Invalid(path, schedule, error));
        }

        var hasTimeZone = schedule.Contains("TZ", StringComparison.Ordinal);
        if (allowTimeZoneInSchedule && hasTimeZone && timeZone is not null)
        {
            errors.Add(FieldError.Invalid(path, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
        }
        else if (!allowTimeZoneInSchedule && hasTimeZone)
        {
            errors.Add(FieldError.Invalid(path, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
        }
    }

    /// <summary>Upstream <c>validateTimeZone</c>: nil or an explicit IANA zone.</summary>
    private static void ValidateTimeZone(string? timeZone, FieldPath path, List<FieldError> errors)
    {
        if (timeZone is null)
        {
            return;
        }

        if (timeZone.Length == 0)
        {
            errors.Add(FieldError.Invalid(path, timeZone, "timeZone must be nil or non-empty string"));
            return;
        }

        if (string.Equals(timeZone, "Local", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(FieldError.Invalid(path, timeZone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
            return;
        }

        if (!CronSchedule.TryFindZone(timeZone, out _))
        {
            errors.Add(FieldError.Invalid(path, timeZone, "unknown time zone " + timeZone));
        }
    }
}
