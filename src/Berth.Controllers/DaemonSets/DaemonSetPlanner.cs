using Berth.Controllers.Common;
using Berth.Controllers.Deployments;
using k8s.Models;

namespace Berth.Controllers.DaemonSets;

/// <summary>
/// Pure planner of the DaemonSet controller (<c>pkg/controller/daemon/daemon_controller.go</c> <c>manage</c>,
/// <c>update.go</c> <c>rollingUpdate</c>, <c>util</c>): one pod on every node that should run one, none elsewhere,
/// old-template pods replaced at most <c>maxUnavailable</c> at a time, and the status counts.
/// </summary>
internal static class DaemonSetPlanner
{
    /// <summary>The label carrying the template's hash (upstream: the ControllerRevision's hash).</summary>
    public const string RevisionHashLabel = "controller-revision-hash";

    /// <summary>Upstream <c>AddOrUpdateDaemonPodTolerations</c>: what every daemon pod tolerates (operator Exists).</summary>
    private static readonly (string Key, string Effect)[] _defaultTolerations =
    [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];

    public static DaemonSetPlan Plan(V1DaemonSet daemonSet, IReadOnlyList<V1Node> nodes, IReadOnlyList<V1Pod> pods, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(daemonSet?.Spec);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(pods);

        var hash = PodTemplateHash.Compute(daemonSet.Spec.Template, null);
        var minReady = daemonSet.Spec.MinReadySeconds ?? 0;
        var byNode = pods.Where(p => !PodUtil.IsTerminating(p)).GroupBy(TargetNode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var create = new List<string>();
        var delete = new List<V1Pod>();
        var running = new List<V1Pod>();
        int desired = 0, current = 0, misscheduled = 0;
        foreach (var node in nodes.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
        {
            var name = node.Metadata.Name;
            var onNode = byNode.Remove(name, out var list) ? list : [];

            // A failed daemon pod is deleted and made again (upstream: with back-off, here on the next sync).
            delete.AddRange(onNode.Where(p => p.Status?.Phase == "Failed"));
            var live = onNode.Where(p => p.Status?.Phase is not ("Failed" or "Succeeded")).OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue).ToList();
            if (!ShouldRun(daemonSet, node))
            {
                misscheduled += live.Count > 0 ? 1 : 0;
                delete.AddRange(live);
                continue;
            }

            desired++;
            if (live.Count == 0)
            {
                create.Add(name);
                continue;
            }

            current++;
            running.Add(live[0]);
            delete.AddRange(live.Skip(1));
        }

        // Pods of nodes that no longer exist.
        delete.AddRange(byNode.Values.SelectMany(p => p));
        var available = running.Count(p => PodUtil.IsAvailable(p, minReady, now));
        if (daemonSet.Spec.UpdateStrategy?.Type != "OnDelete")
        {
            delete.AddRange(RollingUpdate(daemonSet, running, hash, desired, available, now));
        }

        var status = new V1DaemonSetStatus
        {
            DesiredNumberScheduled = desired,
            CurrentNumberScheduled = current,
            NumberMisscheduled = misscheduled,
            NumberReady = running.Count(PodUtil.IsReady),
            NumberAvailable = NonZero(available),
            NumberUnavailable = NonZero(desired - available),
            UpdatedNumberScheduled = NonZero(running.Count(p => ObjectCopy.Get(p.Metadata.Labels, RevisionHashLabel) == hash)),
            ObservedGeneration = daemonSet.Metadata.Generation,
            Conditions = daemonSet.Status?.Conditions,
            CollisionCount = daemonSet.Status?.CollisionCount,
        };
        return new DaemonSetPlan(create, delete.Distinct().ToList(), status);
    }

    /// <summary>
    /// Upstream <c>NodeShouldRunDaemonPod</c>: the template's nodeName (if any), nodeSelector and required node affinity
    /// match the node, and every NoSchedule/NoExecute taint is tolerated — with the daemon pods' default tolerations,
    /// so cordoned and not-ready nodes still run them.
    /// </summary>
    public static bool ShouldRun(V1DaemonSet daemonSet, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(daemonSet?.Spec);
        ArgumentNullException.ThrowIfNull(node);
        var spec = daemonSet.Spec.Template?.Spec ?? new V1PodSpec();
        if (!string.IsNullOrEmpty(spec.NodeName) && spec.NodeName != node.Metadata.Name)
        {
            return false;
        }

        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        if ((spec.NodeSelector ?? new Dictionary<string, string>()).Any(kv => !labels.TryGetValue(kv.Key, out var v) || v != kv.Value))
        {
            return false;
        }

        return NodeAffinity.Matches(spec, node) && TaintUtil.FirstUntoleratedForScheduling(node.Spec?.Taints, Tolerations(spec)) is null;
    }

    /// <summary>
    /// A new pod of <paramref name="daemonSet"/> for <paramref name="node"/> (<c>controller.GetPodFromTemplate</c> +
    /// <c>ReplaceDaemonSetPodNodeNameNodeAffinity</c>): required node affinity on <c>metadata.name</c>, so that the
    /// scheduler binds it there, the default tolerations, the revision hash label, a controller reference.
    /// </summary>
    public static V1Pod PodFor(V1DaemonSet daemonSet, string node)
    {
        ArgumentNullException.ThrowIfNull(daemonSet?.Spec);
        var template = daemonSet.Spec.Template ?? throw new ArgumentException("DaemonSet has no pod template.", nameof(daemonSet));
        var spec = template.Spec is null ? new V1PodSpec() : ObjectCopy.Clone(template.Spec);
        var nameRequirement = new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [node] };
        var affinity = spec.Affinity ??= new V1Affinity();
        var nodeAffinity = affinity.NodeAffinity ??= new V1NodeAffinity();
        var required = nodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution;
        if (required?.NodeSelectorTerms is not { Count: > 0 } terms)
        {
            nodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [new V1NodeSelectorTerm { MatchFields = [nameRequirement] }] };
        }
        else
        {
            foreach (var term in terms)
            {
                term.MatchFields = [.. (term.MatchFields ?? []).Where(f => f.Key != "metadata.name"), nameRequirement];
            }
        }

        spec.Tolerations = Tolerations(spec);
        var labels = ObjectCopy.CloneMap(template.Metadata?.Labels);
        labels[RevisionHashLabel] = PodTemplateHash.Compute(template, null);
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = ServiceUtil.GenerateNamePrefix(daemonSet.Metadata.Name),
                NamespaceProperty = daemonSet.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = template.Metadata?.Annotations is { Count: > 0 } annotations ? ObjectCopy.CloneMap(annotations) : null,
                Finalizers = template.Metadata?.Finalizers is { } finalizers ? [.. finalizers] : null,
                OwnerReferences = [ServiceUtil.ControllerRef(daemonSet.Metadata, "apps/v1", "DaemonSet")],
            },
            Spec = spec,
        };
    }

    /// <summary>The node a daemon pod is for: its nodeName, else its required <c>metadata.name</c> affinity (upstream <c>GetTargetNodeName</c>).</summary>
    public static string TargetNode(V1Pod pod)
    {
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return pod.Spec.NodeName;
        }

        return pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms?
            .SelectMany(t => t.MatchFields ?? [])
            .FirstOrDefault(f => f is { Key: "metadata.name", OperatorProperty: "In", Values.Count: 1 })?.Values[0] ?? "";
    }

    /// <summary>
    /// Upstream <c>rollingUpdate</c> (maxSurge 0): delete every old-template pod that is unavailable, then old
    /// available ones while fewer than maxUnavailable nodes are unavailable; their replacements come next sync.
    /// </summary>
    private static IEnumerable<V1Pod> RollingUpdate(V1DaemonSet daemonSet, List<V1Pod> running, string hash, int desired, int available, DateTimeOffset now)
    {
        var maxUnavailable = Math.Max(1, DeploymentMath.ScaledValue(daemonSet.Spec.UpdateStrategy?.RollingUpdate?.MaxUnavailable ?? 1, desired, roundUp: true));
        var minReady = daemonSet.Spec.MinReadySeconds ?? 0;
        var old = running.Where(p => ObjectCopy.Get(p.Metadata.Labels, RevisionHashLabel) != hash).ToList();
        var unavailable = desired - available;
        foreach (var pod in old.Where(p => !PodUtil.IsAvailable(p, minReady, now)))
        {
            yield return pod;
        }

        foreach (var pod in old.Where(p => PodUtil.IsAvailable(p, minReady, now)).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            if (unavailable >= maxUnavailable)
            {
                yield break;
            }

            unavailable++;
            yield return pod;
        }
    }

    private static List<V1Toleration> Tolerations(V1PodSpec spec)
    {
        var tolerations = spec.Tolerations?.ToList() ?? [];
        foreach (var (key, effect) in _defaultTolerations)
        {
            if (!tolerations.Any(t => t.Key == key && t.Effect == effect))
            {
                tolerations.Add(new V1Toleration { Key = key, OperatorProperty = "Exists", Effect = effect });
            }
        }

        return tolerations;
    }

    private static int? NonZero(int value) => value == 0 ? null : value;
}
