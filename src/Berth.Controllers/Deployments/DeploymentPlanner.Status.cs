using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.Deployments;

internal static partial class DeploymentPlanner
{
    public const string Progressing = "Progressing";
    public const string Available = "Available";
    public const string NewReplicaSetCreatedReason = "NewReplicaSetCreated";
    public const string FoundNewReplicaSetReason = "FoundNewReplicaSet";
    public const string ReplicaSetUpdatedReason = "ReplicaSetUpdated";
    public const string NewReplicaSetAvailableReason = "NewReplicaSetAvailable";
    public const string ProgressDeadlineExceededReason = "ProgressDeadlineExceeded";
    public const string MinimumReplicasAvailableReason = "MinimumReplicasAvailable";
    public const string MinimumReplicasUnavailableReason = "MinimumReplicasUnavailable";
    public const string DeploymentPausedReason = "DeploymentPaused";
    public const string DeploymentResumedReason = "DeploymentResumed";

    /// <summary>
    /// Upstream <c>calculateStatus</c> over the ReplicaSets as this step leaves them: counts from their status (spec for
    /// unavailable), observedGeneration, and the Available condition (available ≥ replicas − maxUnavailable).
    /// </summary>
    private static V1DeploymentStatus CalculateStatus(DeploymentSync sync)
    {
        var deployment = sync.Deployment;
        var available = sync.All.Sum(rs => rs.Status?.AvailableReplicas ?? 0);
        var total = sync.All.Sum(DeploymentMath.Replicas);
        var status = new V1DeploymentStatus
        {
            ObservedGeneration = deployment.Metadata.Generation,
            Replicas = sync.All.Sum(rs => rs.Status?.Replicas ?? 0),
            UpdatedReplicas = sync.New?.Status?.Replicas ?? 0,
            ReadyReplicas = sync.All.Sum(rs => rs.Status?.ReadyReplicas ?? 0),
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(0, total - available),
            CollisionCount = sync.Status.CollisionCount,
            Conditions = [.. (sync.Status.Conditions ?? []).Select(ObjectCopy.Clone)],
        };

        if (available >= DeploymentMath.Replicas(deployment) - DeploymentMath.MaxUnavailable(deployment))
        {
            SetCondition(status, NewCondition(sync, Available, "True", MinimumReplicasAvailableReason, "Deployment has minimum availability."));
        }
        else
        {
            SetCondition(status, NewCondition(sync, Available, "False", MinimumReplicasUnavailableReason, "Deployment does not have minimum availability."));
        }

        return status;
    }

    /// <summary>
    /// Upstream <c>syncRolloutStatus</c>: the status plus the Progressing condition — NewReplicaSetAvailable once the
    /// rollout is complete (what <c>kubectl rollout status</c> waits for), ReplicaSetUpdated while counts move,
    /// ProgressDeadlineExceeded when nothing moved for progressDeadlineSeconds.
    /// </summary>
    private static void SyncRolloutStatus(DeploymentSync sync)
    {
        var deployment = sync.Deployment;
        var status = CalculateStatus(sync);
        if (!HasProgressDeadline(deployment))
        {
            RemoveCondition(status, Progressing);
        }

        var current = Condition(sync.Status, Progressing);
        var isComplete = status.Replicas == status.UpdatedReplicas && current?.Reason == NewReplicaSetAvailableReason;
        if (HasProgressDeadline(deployment) && !isComplete)
        {
            var subject = sync.New is null ? $"Deployment \"{deployment.Metadata.Name}\"" : $"ReplicaSet \"{sync.New.Metadata.Name}\"";
            if (IsComplete(deployment, status))
            {
                SetCondition(status, NewCondition(sync, Progressing, "True", NewReplicaSetAvailableReason, $"{subject} has successfully progressed."));
            }
            else if (IsProgressing(deployment, status))
            {
                var condition = NewCondition(sync, Progressing, "True", ReplicaSetUpdatedReason, $"{subject} is progressing.");
                if (current is not null)
                {
                    if (current.Status == "True")
                    {
                        condition.LastTransitionTime = current.LastTransitionTime;
                    }

                    RemoveCondition(status, Progressing);
                }

                SetCondition(status, condition);
            }
            else if (IsTimedOut(sync, status))
            {
                SetCondition(status, NewCondition(sync, Progressing, "False", ProgressDeadlineExceededReason, $"{subject} has timed out progressing."));
            }
        }

        sync.Status = status;
    }

    /// <summary>Upstream <c>checkPausedConditions</c>: Progressing Unknown DeploymentPaused / DeploymentResumed.</summary>
    private static void SetPausedCondition(DeploymentSync sync)
    {
        var deployment = sync.Deployment;
        if (!HasProgressDeadline(deployment))
        {
            return;
        }

        var current = Condition(sync.Status, Progressing);
        if (current?.Reason == ProgressDeadlineExceededReason)
        {
            return;
        }

        var pausedRecorded = current?.Reason == DeploymentPausedReason;
        if (deployment.Spec.Paused == true && !pausedRecorded)
        {
            SetCondition(sync.Status, NewCondition(sync, Progressing, "Unknown", DeploymentPausedReason, "Deployment is paused"));
        }
        else if (deployment.Spec.Paused != true && pausedRecorded)
        {
            SetCondition(sync.Status, NewCondition(sync, Progressing, "Unknown", DeploymentResumedReason, "Deployment is resumed"));
        }
    }

    /// <summary>Upstream <c>DeploymentComplete</c>: every replica updated and available, and the generation observed.</summary>
    public static bool IsComplete(V1Deployment deployment, V1DeploymentStatus? status)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var replicas = DeploymentMath.Replicas(deployment);
        return status is not null
            && (status.UpdatedReplicas ?? 0) == replicas
            && (status.Replicas ?? 0) == replicas
            && (status.AvailableReplicas ?? 0) == replicas
            && (status.ObservedGeneration ?? 0) >= (deployment.Metadata?.Generation ?? 0);
    }

    /// <summary>Upstream <c>DeploymentProgressing</c>: more updated, fewer old, more ready or more available replicas than before.</summary>
    private static bool IsProgressing(V1Deployment deployment, V1DeploymentStatus status)
    {
        var old = deployment.Status ?? new V1DeploymentStatus();
        var oldOld = (old.Replicas ?? 0) - (old.UpdatedReplicas ?? 0);
        var newOld = (status.Replicas ?? 0) - (status.UpdatedReplicas ?? 0);
        return (status.UpdatedReplicas ?? 0) > (old.UpdatedReplicas ?? 0)
            || newOld < oldOld
            || (status.ReadyReplicas ?? 0) > (old.ReadyReplicas ?? 0)
            || (status.AvailableReplicas ?? 0) > (old.AvailableReplicas ?? 0);
    }

    /// <summary>Upstream <c>DeploymentTimedOut</c>: the Progressing condition was last updated over progressDeadlineSeconds ago.</summary>
    private static bool IsTimedOut(DeploymentSync sync, V1DeploymentStatus status)
    {
        var condition = Condition(status, Progressing);
        if (condition is null || condition.Reason == NewReplicaSetAvailableReason)
        {
            return false;
        }

        if (condition.Reason == ProgressDeadlineExceededReason)
        {
            return true;
        }

        if (condition.LastUpdateTime is not { } from)
        {
            return false;
        }

        var deadline = new DateTimeOffset(DateTime.SpecifyKind(from, DateTimeKind.Utc)).AddSeconds(sync.Deployment.Spec.ProgressDeadlineSeconds ?? 600);
        return deadline < sync.Now;
    }

    private static bool HasProgressDeadline(V1Deployment deployment) =>
        (deployment.Spec?.ProgressDeadlineSeconds ?? 600) != int.MaxValue;

    private static V1DeploymentCondition? Condition(V1DeploymentStatus status, string type) =>
        status.Conditions?.FirstOrDefault(c => c.Type == type);

    private static V1DeploymentCondition NewCondition(DeploymentSync sync, string type, string status, string reason, string message) =>
        new()
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastUpdateTime = sync.Now.UtcDateTime,
            LastTransitionTime = sync.Now.UtcDateTime,
        };

    /// <summary>Upstream <c>SetDeploymentCondition</c>: no-op for the same status and reason; keeps the transition time when only the reason changes.</summary>
    private static void SetCondition(V1DeploymentStatus status, V1DeploymentCondition condition)
    {
        var current = Condition(status, condition.Type);
        if (current is not null && current.Status == condition.Status && current.Reason == condition.Reason)
        {
            return;
        }

        if (current is not null && current.Status == condition.Status)
        {
            condition.LastTransitionTime = current.LastTransitionTime;
        }

        status.Conditions = [.. (status.Conditions ?? []).Where(c => c.Type != condition.Type), condition];
    }

    private static void RemoveCondition(V1DeploymentStatus status, string type)
    {
        if (status.Conditions is not null)
        {
            status.Conditions = [.. status.Conditions.Where(c => c.Type != type)];
        }
    }
}
