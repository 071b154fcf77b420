using System.Globalization;
using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.ReplicaSets;

/// <summary>
/// Which pods go first when scaling down: upstream <c>controller.ActivePodsWithRanks.Less</c>
/// (<c>pkg/controller/controller_utils.go</c>), without the LogarithmicScaleDown bucketing. Earlier = deleted first:
/// unassigned before assigned; Pending before Unknown before Running; not ready before ready; lower
/// <c>controller.kubernetes.io/pod-deletion-cost</c> first; more related pods on the same node first; ready for a
/// shorter time first; more container restarts first; newer first.
/// </summary>
internal sealed class PodDeletionOrder : IComparer<(V1Pod Pod, int Rank)>
{
    public static PodDeletionOrder Instance { get; } = new();

    public int Compare((V1Pod Pod, int Rank) x, (V1Pod Pod, int Rank) y)
    {
        var (a, b) = (x.Pod, y.Pod);

        // 1. Unassigned < assigned.
        var nodeA = a.Spec?.NodeName ?? string.Empty;
        var nodeB = b.Spec?.NodeName ?? string.Empty;
        if (nodeA != nodeB && (nodeA.Length == 0 || nodeB.Length == 0))
        {
            return nodeA.Length == 0 ? -1 : 1;
        }

        // 2. Pending < Unknown < Running.
        var phase = PhaseOrdinal(a).CompareTo(PhaseOrdinal(b));
        if (phase != 0)
        {
            return phase;
        }

        // 3. Not ready < ready.
        var readyA = PodUtil.IsReady(a);
        var readyB = PodUtil.IsReady(b);
        if (readyA != readyB)
        {
            return readyA ? 1 : -1;
        }

        // 4. Lower deletion cost < higher.
        var cost = DeletionCost(a).CompareTo(DeletionCost(b));
        if (cost != 0)
        {
            return cost;
        }

        // 5. Doubled up (more related pods on the node) < not doubled up.
        if (x.Rank != y.Rank)
        {
            return y.Rank.CompareTo(x.Rank);
        }

        // 6. Ready for a shorter time < longer (a missing time counts as shortest).
        if (readyA && readyB)
        {
            var byReady = NewerFirst(PodUtil.ReadyCondition(a)?.LastTransitionTime, PodUtil.ReadyCondition(b)?.LastTransitionTime);
            if (byReady != 0)
            {
                return byReady;
            }
        }

        // 7. More restarts < fewer.
        var restarts = MaxRestarts(b).CompareTo(MaxRestarts(a));
        if (restarts != 0)
        {
            return restarts;
        }

        // 8. Newer < older (a missing creation time counts as newest).
        return NewerFirst(a.Metadata?.CreationTimestamp, b.Metadata?.CreationTimestamp);
    }

    private static int PhaseOrdinal(V1Pod pod) => pod.Status?.Phase switch
    {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };

    private static int DeletionCost(V1Pod pod) =>
        pod.Metadata?.Annotations is { } annotations
        && annotations.TryGetValue(WellKnown.PodDeletionCostAnnotation, out var text)
        && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var cost)
            ? cost
            : 0;

    private static int MaxRestarts(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.Select(s => s.RestartCount).DefaultIfEmpty(0).Max() ?? 0;

    /// <summary>Upstream <c>afterOrZero</c>: a zero time sorts first, then the later time.</summary>
    private static int NewerFirst(DateTime? a, DateTime? b)
    {
        if (a is null || b is null)
        {
            return a is null == b is null ? 0 : a is null ? -1 : 1;
        }

        return b.Value.CompareTo(a.Value);
    }
}
