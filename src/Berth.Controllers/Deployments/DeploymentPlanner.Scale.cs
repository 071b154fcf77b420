using System.Globalization;
using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.Deployments;

internal static partial class DeploymentPlanner
{
    /// <summary>Upstream <c>isScalingEvent</c>: an active ReplicaSet's desired-replicas annotation differs from spec.replicas.</summary>
    private static bool IsScalingEvent(DeploymentSync sync)
    {
        var replicas = DeploymentMath.Replicas(sync.Deployment);
        return sync.All.Where(IsActive).Any(rs => Annotation(rs, WellKnown.DesiredReplicasAnnotation) is { } desired && desired != replicas);
    }

    /// <summary>Upstream <c>sync</c> (paused Deployments and scaling events): scale, clean up when paused, status.</summary>
    private static void ScaleAndSync(DeploymentSync sync)
    {
        Scale(sync);
        if (sync.Deployment.Spec.Paused == true)
        {
            CleanupHistory(sync);
        }

        sync.Status = CalculateStatus(sync);
    }

    /// <summary>
    /// Upstream <c>scale</c>: a single active (or else the newest) ReplicaSet takes all replicas; a saturated new
    /// ReplicaSet empties the old ones; otherwise a rolling Deployment spreads the change proportionally, largest first.
    /// </summary>
    private static void Scale(DeploymentSync sync)
    {
        var deployment = sync.Deployment;
        var replicas = DeploymentMath.Replicas(deployment);
        if (ActiveOrLatest(sync) is { } only)
        {
            if (DeploymentMath.Replicas(only) != replicas)
            {
                sync.Scale(only, replicas);
            }

            return;
        }

        if (sync.New is { } newRs && IsSaturated(deployment, newRs))
        {
            foreach (var rs in sync.Old.Where(IsActive))
            {
                sync.Scale(rs, 0);
            }

            return;
        }

        if (!DeploymentMath.IsRollingUpdate(deployment))
        {
            return;
        }

        var active = sync.All.Where(IsActive).ToList();
        var allowed = replicas > 0 ? replicas + DeploymentMath.MaxSurge(deployment) : 0;
        var toAdd = allowed - active.Sum(DeploymentMath.Replicas);
        if (toAdd == 0)
        {
            return;
        }

        active.Sort(toAdd > 0 ? ReplicaSetOrder.BySizeNewer : ReplicaSetOrder.BySizeOlder);
        var added = 0;
        var sizes = new Dictionary<V1ReplicaSet, int>(ReferenceEqualityComparer.Instance);
        foreach (var rs in active)
        {
            var proportion = Proportion(sync, rs, toAdd, added);
            sizes[rs] = DeploymentMath.Replicas(rs) + proportion;
            added += proportion;
        }

        for (var i = 0; i < active.Count; i++)
        {
            var rs = active[i];
            if (i == 0)
            {
                sizes[rs] = Math.Max(0, sizes[rs] + toAdd - added); // leftovers go to the largest
            }

            sync.Scale(rs, sizes[rs]);
        }
    }

    /// <summary>Upstream <c>GetReplicaSetProportion</c>/<c>getReplicaSetFraction</c>.</summary>
    private static int Proportion(DeploymentSync sync, V1ReplicaSet rs, int toAdd, int added)
    {
        var size = DeploymentMath.Replicas(rs);
        if (size == 0 || toAdd == added)
        {
            return 0;
        }

        var deployment = sync.Deployment;
        var replicas = DeploymentMath.Replicas(deployment);
        int fraction;
        if (replicas == 0)
        {
            fraction = -size;
        }
        else
        {
            var maxReplicas = replicas + DeploymentMath.MaxSurge(deployment);
            var before = Annotation(rs, WellKnown.MaxReplicasAnnotation) is { } annotated and not 0 ? annotated : deployment.Status?.Replicas ?? 0;
            fraction = before == 0 ? 0 : (int)Math.Round((double)size * maxReplicas / before, MidpointRounding.AwayFromZero) - size;
        }

        var allowed = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
    }

    /// <summary>Upstream <c>FindActiveOrLatest</c>: the only active ReplicaSet, or the newest when none is active.</summary>
    private static V1ReplicaSet? ActiveOrLatest(DeploymentSync sync)
    {
        var old = sync.Old;
        if (sync.New is null && old.Count == 0)
        {
            return null;
        }

        var active = old.Append(sync.New).OfType<V1ReplicaSet>().Where(IsActive).ToList();
        return active.Count switch
        {
            0 => sync.New ?? old.Order(ReplicaSetOrder.ByCreation).Last(),
            1 => active[0],
            _ => null,
        };
    }

    /// <summary>Upstream <c>IsSaturated</c>: the new ReplicaSet has, was sized for, and makes available all replicas.</summary>
    private static bool IsSaturated(V1Deployment deployment, V1ReplicaSet rs)
    {
        var replicas = DeploymentMath.Replicas(deployment);
        return DeploymentMath.Replicas(rs) == replicas
            && Annotation(rs, WellKnown.DesiredReplicasAnnotation) == replicas
            && (rs.Status?.AvailableReplicas ?? 0) == replicas;
    }

    private static int? Annotation(V1ReplicaSet rs, string key) =>
        rs.Metadata?.Annotations is { } annotations
        && annotations.TryGetValue(key, out var text)
        && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
