using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.Jobs;

internal static partial class JobPlanner
{
    /// <summary>
    /// Upstream <c>trackJobStatusAndRemoveFinalizers</c>: finished pods that still hold the tracking finalizer are
    /// recorded as uncounted (the durable record, written before any finalizer goes) and their finalizers removed;
    /// every uncounted pod is then counted — once, because a pod without the finalizer is never recorded again.
    /// </summary>
    private static Accounting Account(V1Job job, IReadOnlyList<V1Pod> pods, Func<V1Pod, bool> tracked)
    {
        var uncounted = job.Status?.UncountedTerminatedPods;
        var succeeded = new List<string>(uncounted?.Succeeded ?? []);
        var failed = new List<string>(uncounted?.Failed ?? []);
        var known = new HashSet<string>(succeeded.Concat(failed), StringComparer.Ordinal);
        var byUid = pods.Where(p => p.Metadata?.Uid is not null).ToDictionary(p => p.Metadata.Uid, StringComparer.Ordinal);
        var removeFinalizers = new List<V1Pod>();
        var newlyUncounted = false;
        foreach (var pod in pods)
        {
            var isSucceeded = pod.Status?.Phase == "Succeeded";
            if (!tracked(pod) || !(isSucceeded || IsFailed(pod, job)))
            {
                continue;
            }

            removeFinalizers.Add(pod);
            if (known.Add(pod.Metadata.Uid))
            {
                (isSucceeded ? succeeded : failed).Add(pod.Metadata.Uid);
                newlyUncounted = true;
            }
        }

        var indexes = succeeded
            .Select(uid => byUid.TryGetValue(uid, out var pod) ? IndexOf(pod) : null)
            .OfType<int>()
            .ToList();
        return new Accounting(succeeded, failed, indexes, removeFinalizers, newlyUncounted);
    }

    /// <summary>The Job's status as it was, with every finished pod about to be counted listed as uncounted.</summary>
    private static V1JobStatus WithUncounted(V1JobStatus? status, Accounting accounting)
    {
        var copy = status is null ? new V1JobStatus() : ObjectCopy.Clone(status);
        copy.UncountedTerminatedPods = new V1UncountedTerminatedPods
        {
            Succeeded = accounting.Succeeded.Count == 0 ? null : [.. accounting.Succeeded],
            Failed = accounting.Failed.Count == 0 ? null : [.. accounting.Failed],
        };
        return copy;
    }

    /// <summary>
    /// Upstream <c>pastBackoffLimitOnFailure</c> and <c>exceedsBackoffLimit</c>: more failed pods than backoffLimit,
    /// or, with restartPolicy OnFailure, as many container restarts in the running pods.
    /// </summary>
    private static bool ExceedsBackoffLimit(V1JobSpec spec, int failed, IReadOnlyList<V1Pod> active)
    {
        var limit = spec.BackoffLimit ?? 6;
        if (failed > limit)
        {
            return true;
        }

        if (spec.Template?.Spec?.RestartPolicy != "OnFailure")
        {
            return false;
        }

        var restarts = active
            .Where(p => p.Status?.Phase is "Running" or "Pending")
            .Sum(p => (p.Status?.ContainerStatuses ?? []).Concat(p.Status?.InitContainerStatuses ?? []).Sum(c => c.RestartCount));
        return limit == 0 ? restarts > 0 : restarts >= limit;
    }

    /// <summary>What is left of activeDeadlineSeconds since status.startTime, or null when there is no deadline.</summary>
    private static TimeSpan? DeadlineLeft(V1JobSpec spec, V1JobStatus status, DateTimeOffset now) =>
        spec.ActiveDeadlineSeconds is { } seconds && status.StartTime is { } start
            ? new DateTimeOffset(DateTime.SpecifyKind(start, DateTimeKind.Utc)) + TimeSpan.FromSeconds(seconds) - now
            : null;

    /// <summary>
    /// Upstream's pod-failure back-off (<c>backoffRecord</c>): after n failures since the last success, no new pod
    /// before the last failure + 10 s · 2^(n-1), at most six minutes. Returns the wait left, or null.
    /// </summary>
    private static TimeSpan? BackoffLeft(V1Job job, IReadOnlyList<V1Pod> pods, DateTimeOffset now)
    {
        var lastSuccess = pods.Where(p => p.Status?.Phase == "Succeeded").Select(p => (DateTimeOffset?)FinishTime(p)).Max();
        var failures = pods
            .Where(p => IsFailed(p, job))
            .Select(FinishTime)
            .Where(t => lastSuccess is null || t > lastSuccess)
            .ToList();
        if (failures.Count == 0)
        {
            return null;
        }

        var delay = failures.Count > 16 ? MaxBackoff : InitialBackoff * Math.Pow(2, failures.Count - 1);
        if (delay > MaxBackoff)
        {
            delay = MaxBackoff;
        }

        var left = failures.Max() + delay - now;
        return left > TimeSpan.Zero ? left : null;
    }

    /// <summary>Upstream <c>getFinishedTime</c>: the last container's finish, else the deletion, else the Ready condition's last change, else creation.</summary>
    private static DateTimeOffset FinishTime(V1Pod pod)
    {
        var finished = (pod.Status?.ContainerStatuses ?? [])
            .Select(c => c.State?.Terminated?.FinishedAt)
            .OfType<DateTime>()
            .Select(t => (DateTime?)t)
            .Max();
        var time = finished
            ?? pod.Metadata?.DeletionTimestamp
            ?? PodUtil.ReadyCondition(pod)?.LastTransitionTime
            ?? pod.Metadata?.CreationTimestamp
            ?? DateTime.UnixEpoch;
        return new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));
    }

    private static V1JobCondition? FindCondition(V1JobStatus status, string type) =>
        status.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Upstream <c>ensureJobConditionStatus</c>: adds or changes a condition; false when it already had this status.</summary>
    private static bool SetCondition(V1JobStatus status, string type, string value, string reason, string message, DateTime now)
    {
        status.Conditions ??= [];
        if (FindCondition(status, type) is { } existing)
        {
            if (existing.Status == value)
            {
                return false;
            }

            (existing.Status, existing.Reason, existing.Message, existing.LastProbeTime, existing.LastTransitionTime) = (value, reason, message, now, now);
            return true;
        }

        if (value != "True")
        {
            // A False condition is only ever a change of an existing one (a Job created suspended, then resumed).
            return false;
        }

        status.Conditions.Add(new V1JobCondition { Type = type, Status = value, Reason = reason, Message = message, LastProbeTime = now, LastTransitionTime = now });
        return true;
    }

    /// <summary>What <see cref="Account"/> found: the uncounted pods to count now (old and new), succeeded indexes, finalizers to remove.</summary>
    private sealed record Accounting(
        IReadOnlyList<string> Succeeded,
        IReadOnlyList<string> Failed,
        IReadOnlyList<int> SucceededIndexes,
        IReadOnlyList<V1Pod> RemoveFinalizers,
        bool NewlyUncounted);
}
