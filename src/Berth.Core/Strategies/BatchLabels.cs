namespace Berth.Core.Strategies;

/// <summary>
/// The well-known labels, annotations and finalizer of batch/v1 (<c>staging/src/k8s.io/api/batch/v1/types.go</c>),
/// shared by the Job strategy (selector generation) and the Job and CronJob controllers.
/// </summary>
public static class BatchLabels
{
    /// <summary>The generated selector's label: the Job's UID.</summary>
    public const string ControllerUid = "batch.kubernetes.io/controller-uid";

    /// <summary>The Job's name on its pods.</summary>
    public const string JobName = "batch.kubernetes.io/job-name";

    /// <summary>The pre-1.27 spelling of <see cref="ControllerUid"/>, still set on pods.</summary>
    public const string LegacyControllerUid = "controller-uid";

    /// <summary>The pre-1.27 spelling of <see cref="JobName"/>, still set on pods.</summary>
    public const string LegacyJobName = "job-name";

    /// <summary>The completion index of a pod of an Indexed Job (annotation and, since 1.28, label).</summary>
    public const string CompletionIndex = "batch.kubernetes.io/job-completion-index";

    /// <summary>The finalizer that keeps a pod until the Job controller has counted it (KEP-2307).</summary>
    public const string TrackingFinalizer = "batch.kubernetes.io/job-tracking";

    /// <summary>The scheduled time (RFC 3339) of a Job a CronJob created.</summary>
    public const string CronJobScheduledTimestamp = "batch.kubernetes.io/cronjob-scheduled-timestamp";
}
