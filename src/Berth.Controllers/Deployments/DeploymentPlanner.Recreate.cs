using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.Deployments;

internal static partial class DeploymentPlanner
{
    /// <summary>
    /// Upstream <c>rolloutRecreate</c>: scale every old ReplicaSet to zero; wait until no old pod is left (any phase
    /// but Succeeded/Failed counts); only then create/scale the new ReplicaSet to all replicas.
    /// </summary>
    private static void RolloutRecreate(DeploymentSync sync)
    {
        var scaledDown = false;
        foreach (var rs in sync.Old.Where(IsActive))
        {
            scaledDown |= sync.Scale(rs, 0);
        }

        if (scaledDown || OldPodsRunning(sync))
        {
            SyncRolloutStatus(sync);
            return;
        }

        FindNewReplicaSet(sync, createIfMissing: true);
        if (sync.New is { } newRs && DeploymentMath.Replicas(newRs) != DeploymentMath.Replicas(sync.Deployment))
        {
            sync.Scale(newRs, DeploymentMath.Replicas(sync.Deployment));
        }

        if (IsComplete(sync.Deployment, sync.Deployment.Status))
        {
            CleanupHistory(sync);
        }

        SyncRolloutStatus(sync);
    }

    /// <summary>Upstream <c>oldPodsRunning</c>: old ReplicaSets still report pods, or a non-terminal pod is not the new ReplicaSet's.</summary>
    private static bool OldPodsRunning(DeploymentSync sync)
    {
        if (sync.Old.Sum(rs => rs.Status?.Replicas ?? 0) > 0)
        {
            return true;
        }

        var ownerUids = sync.All.Select(rs => rs.Metadata.Uid).Where(uid => uid is not null).ToHashSet(StringComparer.Ordinal);
        var newUid = sync.New?.Metadata.Uid;
        return sync.Input.Pods.Any(pod =>
            PodUtil.ControllerOf(pod.Metadata)?.Uid is { } owner
            && ownerUids.Contains(owner)
            && owner != newUid
            && !PodUtil.IsTerminal(pod));
    }
}
