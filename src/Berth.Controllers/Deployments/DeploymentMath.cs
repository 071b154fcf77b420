using System.Globalization;
using k8s.Models;

namespace Berth.Controllers.Deployments;

/// <summary>
/// Replica arithmetic of <c>pkg/controller/deployment/util/deployment_util.go</c>: surge/unavailability fenceposts
/// (<c>ResolveFenceposts</c>, <c>MaxSurge</c>, <c>MaxUnavailable</c>) and the new ReplicaSet's size (<c>NewRSNewReplicas</c>).
/// </summary>
internal static class DeploymentMath
{
    public const string RollingUpdate = "RollingUpdate";
    public const string Recreate = "Recreate";

    public static int Replicas(V1Deployment deployment) => deployment.Spec?.Replicas ?? 1;

    public static int Replicas(V1ReplicaSet replicaSet) => replicaSet.Spec?.Replicas ?? 1;

    public static bool IsRollingUpdate(V1Deployment deployment) => (deployment.Spec?.Strategy?.Type ?? RollingUpdate) == RollingUpdate;

    /// <summary>
    /// An int-or-percent scaled against <paramref name="total"/> (<c>intstr.GetScaledValueFromIntOrPercent</c>):
    /// percentages round up when <paramref name="roundUp"/>, else down.
    /// </summary>
    /// <exception cref="FormatException">Neither an integer nor a percentage.</exception>
    public static int ScaledValue(IntOrString? value, int total, bool roundUp)
    {
        var text = value?.Value;
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        if (text.EndsWith('%') && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var percent))
        {
            var scaled = (double)percent * total / 100;
            return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
        }

        throw new FormatException($"invalid value for IntOrString: invalid value \"{text}\"");
    }

    /// <summary>
    /// (surge, unavailable) for <paramref name="desired"/> replicas: maxSurge rounds up, maxUnavailable down, and both
    /// zero means one unavailable so the rollout can move. Absent values default to 25% (API defaulting).
    /// </summary>
    public static (int Surge, int Unavailable) ResolveFenceposts(IntOrString? maxSurge, IntOrString? maxUnavailable, int desired)
    {
        var surge = ScaledValue(OrDefault(maxSurge), desired, roundUp: true);
        var unavailable = ScaledValue(OrDefault(maxUnavailable), desired, roundUp: false);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable);
    }

    // KubernetesClient turns a null string into an IntOrString with a null value, so check the value too.
    private static IntOrString OrDefault(IntOrString? value) => string.IsNullOrEmpty(value?.Value) ? "25%" : value;

    public static int MaxSurge(V1Deployment deployment)
    {
        if (!IsRollingUpdate(deployment))
        {
            return 0;
        }

        var rolling = deployment.Spec?.Strategy?.RollingUpdate;
        return ResolveFenceposts(rolling?.MaxSurge, rolling?.MaxUnavailable, Replicas(deployment)).Surge;
    }

    public static int MaxUnavailable(V1Deployment deployment)
    {
        var replicas = Replicas(deployment);
        if (!IsRollingUpdate(deployment) || replicas == 0)
        {
            return 0;
        }

        var rolling = deployment.Spec?.Strategy?.RollingUpdate;
        var unavailable = ResolveFenceposts(rolling?.MaxSurge, rolling?.MaxUnavailable, replicas).Unavailable;
        return Math.Min(unavailable, replicas);
    }

    /// <summary>
    /// The size the new ReplicaSet may have now: Recreate → all replicas; RollingUpdate → grow within
    /// replicas + maxSurge pods in total (counting every ReplicaSet's spec.replicas), never beyond replicas.
    /// </summary>
    public static int NewReplicaSetReplicas(V1Deployment deployment, IEnumerable<V1ReplicaSet> all, V1ReplicaSet newReplicaSet)
    {
        var replicas = Replicas(deployment);
        if (!IsRollingUpdate(deployment))
        {
            return replicas;
        }

        var current = Replicas(newReplicaSet);
        var maxTotal = replicas + MaxSurge(deployment);
        var total = all.Sum(Replicas);
        if (total >= maxTotal)
        {
            return current;
        }

        return current + Math.Min(maxTotal - total, replicas - current);
    }
}
