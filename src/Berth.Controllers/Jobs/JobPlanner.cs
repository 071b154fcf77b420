using Berth.Controllers.Common;
using Berth.Controllers.ReplicaSets;
using Berth.Core.Strategies;
using k8s.Models;

namespace Berth.Controllers.Jobs;

/// <summary>
/// Pure planner of the Job controller (<c>pkg/controller/job/job_controller.go</c>, 1.32): pod accounting through the
/// tracking finalizer and <c>status.uncountedTerminatedPods</c>, how many pods (or which completion indexes) to run,
/// the pod-failure back-off, suspension, activeDeadlineSeconds, and the conditions — SuccessCriteriaMet/FailureTarget
/// first, Complete/Failed once no pod of the Job is still terminating.
/// </summary>
internal static partial class JobPlanner
{
    /// <summary>Upstream <c>DefaultJobPodFailureBackOff</c>: the first delay after a pod failed, doubled per failure.</summary>
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(10);

    /// <summary>The longest back-off before a replacement pod (six minutes, as the Job documentation says).</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(6);

    /// <summary>Upstream <c>MaxPodCreateDeletePerSync</c>.</summary>
    public const int MaxPodCreateDeletePerSync = 500;

    /// <summary>
    /// Plans one sync of <paramref name="job"/> over the pods it owns. <paramref name="tracked"/> says whether a pod
    /// still holds the tracking finalizer as far as the controller knows (its cache may not yet show a removal it made).
    /// </summary>
    public static JobPlan Plan(V1Job job, IReadOnlyList<V1Pod> pods, DateTimeOffset now, Func<V1Pod, bool> tracked)
    {
        ArgumentNullException.ThrowIfNull(job?.Spec);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(tracked);

        var spec = job.Spec;
        var status = job.Status is null ? new V1JobStatus() : ObjectCopy.Clone(job.Status);
        status.Conditions ??= [];
        if (job.Metadata.DeletionTimestamp is not null)
        {
            // The Job is going away: let every pod go too, counted or not (upstream removes all the finalizers).
            return new JobPlan(null, [.. pods.Where(tracked)], [], [], job.Status ?? new V1JobStatus(), [], null);
        }

        var accounting = Account(job, pods, tracked);
        var uncountedStatus = accounting.NewlyUncounted ? WithUncounted(job.Status, accounting) : null;
        var completions = spec.Completions;
        var indexed = spec.CompletionMode == "Indexed" && completions is not null;
        var succeededIndexes = indexed ? CompletedIndexes.Parse(status.CompletedIndexes, completions!.Value) : [];
        foreach (var index in accounting.SucceededIndexes.Where(i => i < (completions ?? 0)))
        {
            succeededIndexes.Add(index);
        }

        var succeeded = indexed ? succeededIndexes.Count : (status.Succeeded ?? 0) + accounting.Succeeded.Count;
        var failed = (status.Failed ?? 0) + accounting.Failed.Count;
        var active = pods.Where(PodUtil.IsActive).ToList();
        var terminating = pods.Count(p => PodUtil.IsTerminating(p) && !PodUtil.IsTerminal(p));
        var nowTime = now.UtcDateTime;
        var events = new List<JobEvent>();
        var create = new List<int?>();
        var delete = new List<V1Pod>();
        TimeSpan? requeue = null;

        if (!IsFinished(status))
        {
            var suspended = spec.Suspend == true;
            if (suspended)
            {
                if (SetCondition(status, "Suspended", "True", "JobSuspended", "Job suspended", nowTime))
                {
                    events.Add(new JobEvent("Normal", "Suspended", "Job suspended"));
                }
            }
            else
            {
                status.StartTime ??= nowTime;
                if (FindCondition(status, "Suspended") is { Status: "True" } && SetCondition(status, "Suspended", "False", "JobResumed", "Job resumed", nowTime))
                {
                    // activeDeadlineSeconds counts continuously active seconds: the clock starts again.
                    status.StartTime = nowTime;
                    events.Add(new JobEvent("Normal", "Resumed", "Job resumed"));
                }
            }

            if (FindCondition(status, "FailureTarget") is null && FindCondition(status, "SuccessCriteriaMet") is null)
            {
                if (ExceedsBackoffLimit(spec, failed, active))
                {
                    SetCondition(status, "FailureTarget", "True", "BackoffLimitExceeded", "Job has reached the specified backoff limit", nowTime);
                }
                else if (!suspended && DeadlineLeft(spec, status, now) is { } left)
                {
                    if (left <= TimeSpan.Zero)
                    {
                        SetCondition(status, "FailureTarget", "True", "DeadlineExceeded", "Job was active longer than specified deadline", nowTime);
                    }
                    else
                    {
                        requeue = left;
                    }
                }
            }

            var complete = indexed
                ? succeededIndexes.Count >= completions!.Value && active.Count == 0
                : completions is null ? succeeded > 0 && active.Count == 0 : succeeded >= completions && active.Count == 0;
            if (FindCondition(status, "FailureTarget") is { Status: "True" } failure)
            {
                delete.AddRange(active);
                if (active.Count == 0 && terminating == 0)
                {
                    SetCondition(status, "Failed", "True", failure.Reason, failure.Message, nowTime);
                    events.Add(new JobEvent("Warning", failure.Reason, failure.Message));
                }
            }
            else if (complete || FindCondition(status, "SuccessCriteriaMet") is { Status: "True" })
            {
                SetCondition(status, "SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods", nowTime);
                if (terminating == 0)
                {
                    SetCondition(status, "Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods", nowTime);
                    status.CompletionTime = nowTime;
                    events.Add(new JobEvent("Normal", "Completed", "Job completed"));
                }
            }
            else if (suspended)
            {
                delete.AddRange(active);
            }
            else
            {
                var wait = Manage(job, active, pods, succeeded, succeededIndexes, terminating, now, create, delete);
                requeue = Earliest(requeue, wait);
            }
        }

        status.Active = NonZero(active.Count - delete.Count(d => active.Contains(d)) + create.Count);
        status.Ready = active.Count(PodUtil.IsReady);
        status.Terminating = terminating;
        status.Succeeded = NonZero(succeeded);
        status.Failed = NonZero(failed);
        status.CompletedIndexes = indexed ? CompletedIndexes.Format(succeededIndexes) : status.CompletedIndexes;
        status.UncountedTerminatedPods = new V1UncountedTerminatedPods();
        if (status.Conditions.Count == 0)
        {
            status.Conditions = null;
        }

        return new JobPlan(uncountedStatus, accounting.RemoveFinalizers, create, delete, status, events, requeue);
    }

    /// <summary>A Job with a Complete or Failed condition that is True (upstream <c>IsJobFinished</c>).</summary>
    public static bool IsFinished(V1JobStatus? status) =>
        status?.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true;

    /// <summary>
    /// Upstream <c>isPodFailed</c>: a pod in phase Failed, or — unless only failed pods are replaced — a pod being
    /// deleted before it succeeded (an orphan that never reaches a final phase).
    /// </summary>
    public static bool IsFailed(V1Pod pod, V1Job job)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(job);
        if (pod.Status?.Phase == "Failed")
        {
            return true;
        }

        return job.Spec?.PodReplacementPolicy != "Failed" && PodUtil.IsTerminating(pod) && pod.Status?.Phase != "Succeeded";
    }

    /// <summary>The completion index of a pod of an Indexed Job (its annotation), or null.</summary>
    public static int? IndexOf(V1Pod pod) =>
        pod.Metadata?.Annotations?.TryGetValue(BatchLabels.CompletionIndex, out var text) == true
        && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? index
            : null;

    private static int? NonZero(int value) => value == 0 ? null : value;

    private static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
