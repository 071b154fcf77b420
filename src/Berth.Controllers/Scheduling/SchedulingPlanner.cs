using System.Globalization;
using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.Scheduling;

/// <summary>
/// Pure node choice for one pod, a small subset of kube-scheduler's default profile: filters (not spec.unschedulable
/// unless tolerated, NoSchedule/NoExecute taints tolerated, node Ready, spec.nodeSelector) and a spreading score (fewest pods of the same controller on the node —
/// SelectorSpread — then fewest pods overall, then the node name, so the result is deterministic). The failure message
/// follows <c>framework.FitError.Error()</c>: reasons counted per node, sorted.
/// </summary>
internal static class SchedulingPlanner
{
    public const string DefaultSchedulerName = "default-scheduler";
    public const string NodeSelectorMismatch = "node(s) didn't match Pod's node affinity/selector";
    public const string NodeUnschedulable = "node(s) were unschedulable";
    public const string NodeNotReady = "node(s) had untolerated taint {node.kubernetes.io/not-ready: }";

    /// <summary>Whether this scheduler owns <paramref name="pod"/> and it still needs a node.</summary>
    public static bool NeedsScheduling(V1Pod pod) =>
        string.IsNullOrEmpty(pod.Spec?.NodeName)
        && (string.IsNullOrEmpty(pod.Spec?.SchedulerName) || pod.Spec.SchedulerName == DefaultSchedulerName)
        && PodUtil.IsActive(pod);

    /// <param name="pod">The pod to place.</param>
    /// <param name="nodes">Every node.</param>
    /// <param name="placements">The active pods already on nodes, with their node (the binding may not be visible in the pod yet).</param>
    public static SchedulingResult Schedule(V1Pod pod, IReadOnlyList<V1Node> nodes, IReadOnlyList<(V1Pod Pod, string Node)> placements)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(placements);
        if (nodes.Count == 0)
        {
            return new SchedulingResult(null, "no nodes available to schedule pods");
        }

        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        var feasible = new List<V1Node>();
        foreach (var node in nodes)
        {
            if (Filter(pod, node) is { } reason)
            {
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
            else
            {
                feasible.Add(node);
            }
        }

        if (feasible.Count == 0)
        {
            var parts = reasons.Select(r => r.Value.ToString(CultureInfo.InvariantCulture) + " " + r.Key).Order(StringComparer.Ordinal);
            return new SchedulingResult(null, $"0/{nodes.Count.ToString(CultureInfo.InvariantCulture)} nodes are available: {string.Join(", ", parts)}.");
        }

        var owner = PodUtil.ControllerOf(pod.Metadata)?.Uid;
        var perNode = placements
            .GroupBy(p => p.Node, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (Siblings: owner is null ? 0 : g.Count(p => PodUtil.ControllerOf(p.Pod.Metadata)?.Uid == owner), All: g.Count()),
                StringComparer.Ordinal);
        var best = feasible
            .OrderBy(n => perNode.GetValueOrDefault(n.Metadata.Name).Siblings)
            .ThenBy(n => perNode.GetValueOrDefault(n.Metadata.Name).All)
            .ThenBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .First();
        return new SchedulingResult(best.Metadata.Name, null);
    }

    /// <summary>Why <paramref name="node"/> cannot take <paramref name="pod"/>, or null when it can.</summary>
    private static string? Filter(V1Pod pod, V1Node node)
    {
        if (node.Spec?.Unschedulable == true && !TaintUtil.Tolerates(pod.Spec?.Tolerations, new V1Taint { Key = TaintUtil.Unschedulable, Effect = TaintUtil.NoSchedule }))
        {
            return NodeUnschedulable;
        }

        // The TaintToleration filter: NoSchedule and NoExecute taints the pod does not tolerate.
        if (TaintUtil.FirstUntoleratedForScheduling(node.Spec?.Taints, pod.Spec?.Tolerations) is { } taint)
        {
            return $"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}";
        }

        if (node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status != "True")
        {
            return NodeNotReady;
        }

        foreach (var (key, value) in pod.Spec?.NodeSelector ?? new Dictionary<string, string>())
        {
            if (node.Metadata?.Labels is null || !node.Metadata.Labels.TryGetValue(key, out var actual) || actual != value)
            {
                return NodeSelectorMismatch;
            }
        }

        // Required node affinity (DaemonSet pods name their node with matchFields metadata.name).
        return NodeAffinity.Matches(pod.Spec, node) ? null : NodeSelectorMismatch;
    }
}
