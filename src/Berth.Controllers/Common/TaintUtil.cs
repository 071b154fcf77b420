using k8s.Models;

namespace Berth.Controllers.Common;

/// <summary>Taint keys and toleration matching (ports of <c>k8s.io/api/core/v1</c> toleration helpers and <c>pkg/util/taints</c>).</summary>
internal static class TaintUtil
{
    public const string NotReady = "node.kubernetes.io/not-ready";
    public const string Unreachable = "node.kubernetes.io/unreachable";
    public const string Unschedulable = "node.kubernetes.io/unschedulable";
    public const string MemoryPressure = "node.kubernetes.io/memory-pressure";
    public const string DiskPressure = "node.kubernetes.io/disk-pressure";
    public const string PidPressure = "node.kubernetes.io/pid-pressure";
    public const string NetworkUnavailable = "node.kubernetes.io/network-unavailable";

    public const string NoSchedule = "NoSchedule";
    public const string NoExecute = "NoExecute";

    /// <summary><c>Toleration.ToleratesTaint</c>: effect (empty = all), key (empty = all, with Exists) and value (Equal) match.</summary>
    public static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.OperatorProperty switch
        {
            null or "" or "Equal" => (toleration.Value ?? "") == (taint.Value ?? ""),
            "Exists" => true,
            _ => false,
        };
    }

    public static bool Tolerates(IEnumerable<V1Toleration>? tolerations, V1Taint taint) =>
        tolerations?.Any(t => Tolerates(t, taint)) == true;

    /// <summary>
    /// The first taint with effect NoSchedule or NoExecute that <paramref name="tolerations"/> do not tolerate
    /// (<c>FindMatchingUntoleratedTaint</c> with the scheduler's <c>DoNotScheduleTaintsFilterFunc</c>), or null.
    /// </summary>
    public static V1Taint? FirstUntoleratedForScheduling(IEnumerable<V1Taint>? taints, IEnumerable<V1Toleration>? tolerations) =>
        taints?.FirstOrDefault(t => t.Effect is NoSchedule or NoExecute && !Tolerates(tolerations, t));

    /// <summary>Whether <paramref name="taints"/> hold a taint of this key and effect (<c>TaintExists</c> compares key and effect).</summary>
    public static bool Has(IEnumerable<V1Taint>? taints, string key, string effect) =>
        taints?.Any(t => t.Key == key && t.Effect == effect) == true;
}
