using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.Nodes;

/// <summary>
/// When a pod on a Node with NoExecute taints must go (<c>pkg/controller/tainteviction</c>: <c>getMinTolerationTime</c>
/// over the matching tolerations). A taint the pod does not tolerate evicts it at once; otherwise the shortest
/// <c>tolerationSeconds</c> of the tolerations used counts from when the taints were added; tolerations without
/// seconds tolerate forever. Berth's API server has no <c>DefaultTolerationSeconds</c> admission plugin, so a pod with
/// no toleration for the not-ready or unreachable taint is treated as having that plugin's 300 s one.
/// </summary>
internal static class TaintEvictionPlanner
{
    /// <summary>The DefaultTolerationSeconds admission plugin's default for not-ready and unreachable.</summary>
    public static readonly TimeSpan DefaultTolerationSeconds = TimeSpan.FromSeconds(300);

    /// <param name="pod">A pod on the Node.</param>
    /// <param name="noExecuteTaints">The Node's NoExecute taints.</param>
    /// <param name="since">When the taints were added (the earliest <c>timeAdded</c>).</param>
    /// <returns>When the pod is to be deleted, or null when it tolerates the taints forever.</returns>
    public static DateTimeOffset? EvictionTime(V1Pod pod, IReadOnlyList<V1Taint> noExecuteTaints, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(noExecuteTaints);
        TimeSpan? shortest = null;
        foreach (var taint in noExecuteTaints)
        {
            var matching = (pod.Spec?.Tolerations ?? []).Where(t => TaintUtil.Tolerates(t, taint)).ToList();
            if (matching.Count == 0)
            {
                if (taint.Key is not (TaintUtil.NotReady or TaintUtil.Unreachable))
                {
                    return since;
                }

                shortest = Min(shortest, DefaultTolerationSeconds);
                continue;
            }

            foreach (var toleration in matching.Where(t => t.TolerationSeconds is not null))
            {
                shortest = Min(shortest, TimeSpan.FromSeconds(Math.Max(0, toleration.TolerationSeconds!.Value)));
            }
        }

        return shortest is { } wait ? since + wait : null;
    }

    private static TimeSpan Min(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;
}
