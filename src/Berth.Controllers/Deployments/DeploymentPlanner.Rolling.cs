using k8s.Models;

namespace Berth.Controllers.Deployments;

internal static partial class DeploymentPlanner
{
    /// <summary>Upstream <c>rolloutRolling</c>: scale up the new ReplicaSet if possible, else scale down old ones, else clean up.</summary>
    private static void RolloutRolling(DeploymentSync sync)
    {
        FindNewReplicaSet(sync, createIfMissing: true);
        if (sync.New is null)
        {
            SyncRolloutStatus(sync); // hash collision: status carries the bumped collisionCount
            return;
        }

        if (ReconcileNewReplicaSet(sync) || ReconcileOldReplicaSets(sync))
        {
            SyncRolloutStatus(sync);
            return;
        }

        if (IsComplete(sync.Deployment, sync.Deployment.Status))
        {
            CleanupHistory(sync);
        }

        SyncRolloutStatus(sync);
    }

    /// <summary>Upstream <c>reconcileNewReplicaSet</c>: grow the new ReplicaSet within maxSurge (or shrink it to replicas).</summary>
    private static bool ReconcileNewReplicaSet(DeploymentSync sync)
    {
        var newRs = sync.New!;
        var replicas = DeploymentMath.Replicas(sync.Deployment);
        var current = DeploymentMath.Replicas(newRs);
        if (current == replicas)
        {
            return false;
        }

        if (current > replicas)
        {
            return sync.Scale(newRs, replicas);
        }

        return sync.Scale(newRs, DeploymentMath.NewReplicaSetReplicas(sync.Deployment, sync.All, newRs));
    }

    /// <summary>
    /// Upstream <c>reconcileOldReplicaSets</c>: shrink old ReplicaSets while keeping replicas − maxUnavailable pods
    /// available — unhealthy old replicas first (they cost no availability), then healthy ones, oldest first.
    /// </summary>
    private static bool ReconcileOldReplicaSets(DeploymentSync sync)
    {
        var old = sync.Old.Where(IsActive).ToList();
        if (old.Sum(DeploymentMath.Replicas) == 0)
        {
            return false;
        }

        var newRs = sync.New!;
        var minAvailable = DeploymentMath.Replicas(sync.Deployment) - DeploymentMath.MaxUnavailable(sync.Deployment);
        var newUnavailable = DeploymentMath.Replicas(newRs) - (newRs.Status?.AvailableReplicas ?? 0);
        var maxScaledDown = sync.All.Sum(DeploymentMath.Replicas) - minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
        {
            return false;
        }

        var cleaned = CleanupUnhealthyReplicas(sync, old, maxScaledDown);
        var scaledDown = ScaleDownOldReplicaSets(sync, old, minAvailable);
        return cleaned + scaledDown > 0;
    }

    private static int CleanupUnhealthyReplicas(DeploymentSync sync, List<V1ReplicaSet> old, int maxCleanup)
    {
        var total = 0;
        foreach (var rs in old.Order(ReplicaSetOrder.ByCreation))
        {
            if (total >= maxCleanup)
            {
                break;
            }

            var replicas = DeploymentMath.Replicas(rs);
            var available = rs.Status?.AvailableReplicas ?? 0;
            if (replicas == 0 || replicas == available)
            {
                continue;
            }

            var count = Math.Min(maxCleanup - total, replicas - available);
            sync.Scale(rs, replicas - count);
            total += count;
        }

        return total;
    }

    private static int ScaleDownOldReplicaSets(DeploymentSync sync, List<V1ReplicaSet> old, int minAvailable)
    {
        var available = sync.All.Sum(rs => rs.Status?.AvailableReplicas ?? 0);
        if (available <= minAvailable)
        {
            return 0;
        }

        var toScaleDown = available - minAvailable;
        var total = 0;
        foreach (var rs in old.Order(ReplicaSetOrder.ByCreation))
        {
            if (total >= toScaleDown)
            {
                break;
            }

            var replicas = DeploymentMath.Replicas(rs);
            if (replicas == 0)
            {
                continue;
            }

            var count = Math.Min(replicas, toScaleDown - total);
            sync.Scale(rs, replicas - count);
            total += count;
        }

        return total;
    }

    private static bool IsActive(V1ReplicaSet rs) => DeploymentMath.Replicas(rs) > 0;
}
