using Berth.Controllers.Common;
using Berth.Core.Selectors;
using k8s.Models;

namespace Berth.Controllers.ReplicaSets;

/// <summary>
/// Pure planner of the ReplicaSet controller (<c>pkg/controller/replicaset/replica_set.go</c>): replica arithmetic,
/// scale-down victims, status, pod construction and the claim (adopt/release) of pods. Expectations (not acting while
/// earlier creates/deletes are unobserved) belong to the controller.
/// </summary>
internal static class ReplicaSetPlanner
{
    /// <summary>Upstream <c>BurstReplicas</c>: the most pods created or deleted in one sync.</summary>
    public const int BurstReplicas = 500;

    /// <summary>
    /// Plans one sync. <paramref name="pods"/> are the pods the ReplicaSet owns (inactive ones are ignored);
    /// <paramref name="relatedPods"/> are the active pods of every ReplicaSet of the same owner (a Deployment), used to
    /// prefer deleting pods doubled up on a node; it defaults to <paramref name="pods"/>.
    /// </summary>
    public static ReplicaSetPlan Plan(V1ReplicaSet replicaSet, IReadOnlyList<V1Pod> pods, DateTimeOffset now, IReadOnlyList<V1Pod>? relatedPods = null)
    {
        ArgumentNullException.ThrowIfNull(replicaSet?.Spec);
        ArgumentNullException.ThrowIfNull(pods);

        var active = pods.Where(PodUtil.IsActive).ToList();
        var desired = replicaSet.Spec.Replicas ?? 1;
        var diff = active.Count - desired;
        var toCreate = diff < 0 ? Math.Min(-diff, BurstReplicas) : 0;
        IReadOnlyList<V1Pod> toDelete = diff > 0
            ? PodsToDelete(active, relatedPods?.Where(PodUtil.IsActive).ToList() ?? active, Math.Min(diff, BurstReplicas))
            : [];

        var status = CalculateStatus(replicaSet, active, now);
        var minReadySeconds = replicaSet.Spec.MinReadySeconds ?? 0;
        TimeSpan? requeue = minReadySeconds > 0 && status.ReadyReplicas == desired && status.AvailableReplicas != desired
            ? TimeSpan.FromSeconds(minReadySeconds)
            : null;
        return new ReplicaSetPlan(toCreate, toDelete, status, requeue);
    }

    /// <summary>The <paramref name="count"/> pods to delete first, by <see cref="PodDeletionOrder"/> (<c>getPodsToDelete</c>).</summary>
    public static IReadOnlyList<V1Pod> PodsToDelete(IReadOnlyList<V1Pod> pods, IReadOnlyList<V1Pod> relatedPods, int count)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(relatedPods);
        if (count >= pods.Count)
        {
            return [.. pods];
        }

        var perNode = relatedPods
            .Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName))
            .GroupBy(p => p.Spec.NodeName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return [.. pods
            .Select(p => (Pod: p, Rank: perNode.GetValueOrDefault(p.Spec?.NodeName ?? string.Empty)))
            .OrderBy(p => p, PodDeletionOrder.Instance)
            .Take(count)
            .Select(p => p.Pod)];
    }

    /// <summary>
    /// Status from the active pods (<c>calculateStatus</c>): replicas, fully labelled (labels ⊇ template labels),
    /// ready, available (ready for more than minReadySeconds before <paramref name="now"/>), observedGeneration;
    /// existing conditions are kept.
    /// </summary>
    public static V1ReplicaSetStatus CalculateStatus(V1ReplicaSet replicaSet, IReadOnlyList<V1Pod> activePods, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(replicaSet?.Spec);
        ArgumentNullException.ThrowIfNull(activePods);

        var templateLabels = LabelSelector.FromMap(replicaSet.Spec.Template?.Metadata?.Labels);
        var minReadySeconds = replicaSet.Spec.MinReadySeconds ?? 0;
        return new V1ReplicaSetStatus
        {
            Replicas = activePods.Count,
            FullyLabeledReplicas = activePods.Count(p => templateLabels.Matches(p.Metadata?.Labels)),
            ReadyReplicas = activePods.Count(PodUtil.IsReady),
            AvailableReplicas = activePods.Count(p => PodUtil.IsAvailable(p, minReadySeconds, now)),
            ObservedGeneration = replicaSet.Metadata?.Generation,
            Conditions = replicaSet.Status?.Conditions is { Count: > 0 } conditions ? [.. conditions.Select(ObjectCopy.Clone)] : null,
        };
    }

    /// <summary>
    /// A new pod for the ReplicaSet (<c>controller.GetPodFromTemplate</c>): generateName <c>&lt;rs&gt;-</c>, the
    /// template's labels, annotations, finalizers and spec, and a controller owner reference to the ReplicaSet (or, for
    /// the view of a ReplicationController, to <paramref name="ownerApiVersion"/>/<paramref name="ownerKind"/>).
    /// </summary>
    public static V1Pod PodFromTemplate(V1ReplicaSet replicaSet, string ownerApiVersion = "apps/v1", string ownerKind = "ReplicaSet")
    {
        ArgumentNullException.ThrowIfNull(replicaSet?.Metadata);
        var template = replicaSet.Spec?.Template ?? throw new ArgumentException("ReplicaSet has no pod template.", nameof(replicaSet));
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = ServiceUtil.GenerateNamePrefix(replicaSet.Metadata.Name),
                NamespaceProperty = replicaSet.Metadata.NamespaceProperty,
                Labels = ObjectCopy.CloneMap(template.Metadata?.Labels),
                Annotations = ObjectCopy.CloneMap(template.Metadata?.Annotations),
                Finalizers = template.Metadata?.Finalizers is { } finalizers ? [.. finalizers] : null,
                OwnerReferences = [ServiceUtil.ControllerRef(replicaSet.Metadata, ownerApiVersion, ownerKind)],
            },
            Spec = template.Spec is null ? new V1PodSpec() : ObjectCopy.Clone(template.Spec),
        };
    }

    /// <summary>
    /// Which pods the ReplicaSet owns, adopts and releases (<c>PodControllerRefManager.ClaimPods</c>). Pods owned by
    /// another controller are left alone. An owned pod that no longer matches the selector is released (unless the
    /// ReplicaSet is being deleted); an orphan that matches is adopted unless either side is being deleted.
    /// </summary>
    public static PodClaim ClaimPods(V1ReplicaSet replicaSet, IReadOnlyList<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(replicaSet?.Metadata);
        return ClaimPods(replicaSet.Metadata, replicaSet.Spec?.Selector, pods);
    }

    /// <summary>The claim of any workload <paramref name="owner"/> whose pods <paramref name="labelSelector"/> selects (StatefulSets use it too).</summary>
    public static PodClaim ClaimPods(V1ObjectMeta owner, V1LabelSelector? labelSelector, IReadOnlyList<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(pods);

        var selector = LabelSelector.FromLabelSelector(labelSelector);
        var deleting = owner.DeletionTimestamp is not null;
        var owned = new List<V1Pod>();
        var adopt = new List<V1Pod>();
        var release = new List<V1Pod>();
        foreach (var pod in pods)
        {
            if (pod.Metadata?.NamespaceProperty != owner.NamespaceProperty)
            {
                continue;
            }

            var matches = selector.Matches(pod.Metadata.Labels);
            if (PodUtil.ControllerOf(pod.Metadata) is { } controller)
            {
                if (controller.Uid != owner.Uid)
                {
                    continue;
                }

                if (matches)
                {
                    owned.Add(pod);
                }
                else if (!deleting)
                {
                    release.Add(pod);
                }

                continue;
            }

            if (!matches || deleting || PodUtil.IsTerminating(pod))
            {
                continue;
            }

            adopt.Add(pod);
            owned.Add(pod);
        }

        return new PodClaim(owned, adopt, release);
    }
}
