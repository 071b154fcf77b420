using System.Globalization;
using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.StatefulSets;

/// <summary>
/// Pure planner of the StatefulSet controller (upstream <c>pkg/controller/statefulset/stateful_set_control.go</c>,
/// <c>updateStatefulSet</c>, with maxUnavailable 1): pods are slots <c>&lt;set&gt;-&lt;ordinal&gt;</c> for the ordinals
/// <c>[start, start + replicas)</c>. OrderedReady creates the lowest missing ordinal only when every lower one is
/// Running and available, removes out-of-range pods from the highest ordinal down, one at a time, and waits for each to
/// be gone; Parallel does all of that at once. A RollingUpdate then replaces, from the highest ordinal down to the
/// partition, one pod at a time, each pod not of the update revision, waiting for the replacement to be healthy.
/// </summary>
internal static class StatefulSetPlanner
{
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";
    public const string RevisionLabel = "controller-revision-hash";

    /// <summary>
    /// Plans one sync. <paramref name="pods"/> are the pods the set owns, terminating ones included (they still hold
    /// their ordinal). Nothing is created or deleted while the set is being deleted.
    /// </summary>
    public static StatefulSetPlan Plan(V1StatefulSet set, IReadOnlyList<V1Pod> pods, string currentRevision, string updateRevision, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(set?.Spec);
        ArgumentNullException.ThrowIfNull(pods);

        var start = set.Spec.Ordinals?.Start ?? 0;
        var replicas = set.Spec.Replicas ?? 1;
        var minReadySeconds = set.Spec.MinReadySeconds ?? 0;
        var monotonic = set.Spec.PodManagementPolicy != "Parallel";
        var slots = new V1Pod?[replicas];
        var condemned = new List<(int Ordinal, V1Pod Pod)>();
        foreach (var pod in pods)
        {
            if (OrdinalOf(set.Metadata.Name, pod.Metadata?.Name) is not { } ordinal)
            {
                continue;
            }

            if (ordinal >= start && ordinal < start + replicas)
            {
                slots[ordinal - start] = pod;
            }
            else
            {
                condemned.Add((ordinal, pod));
            }
        }

        condemned.Sort((a, b) => b.Ordinal.CompareTo(a.Ordinal));
        var status = Status(set, pods, currentRevision, updateRevision, now);
        TimeSpan? requeue = minReadySeconds > 0 && pods.Any(p => IsRunningAndReady(p) && !PodUtil.IsAvailable(p, minReadySeconds, now))
            ? TimeSpan.FromSeconds(minReadySeconds)
            : null;
        var creates = new List<StatefulPodToCreate>();
        var deletes = new List<V1Pod>();
        if (set.Metadata.DeletionTimestamp is null)
        {
            _ = PlanReplicas() && PlanCondemned() && PlanRollingUpdate();
        }

        return new StatefulSetPlan(creates, deletes, status, requeue);

        // Each step returns false when an OrderedReady set must wait before doing anything further.
        bool PlanReplicas()
        {
            for (var i = 0; i < replicas; i++)
            {
                var pod = slots[i];
                if (pod is null)
                {
                    creates.Add(new StatefulPodToCreate(start + i, RevisionFor(set, start + i, currentRevision, updateRevision)));
                }
                else if (PodUtil.IsTerminal(pod) && !PodUtil.IsTerminating(pod))
                {
                    // Upstream deletes a failed or succeeded pod and recreates it under its name once it is gone.
                    deletes.Add(pod);
                }
                else if (!PodUtil.IsTerminating(pod) && IsHealthy(pod, minReadySeconds, now))
                {
                    continue;
                }

                if (monotonic)
                {
                    return false;
                }
            }

            return true;
        }

        bool PlanCondemned()
        {
            var firstUnhealthy = slots.Concat(condemned.Select(c => c.Pod)).FirstOrDefault(p => p is not null && (PodUtil.IsTerminating(p) || !IsHealthy(p, minReadySeconds, now)));
            foreach (var (_, pod) in condemned)
            {
                if (PodUtil.IsTerminating(pod))
                {
                    if (monotonic)
                    {
                        return false;
                    }

                    continue;
                }

                if (monotonic && firstUnhealthy is not null && !ReferenceEquals(firstUnhealthy, pod))
                {
                    return false;
                }

                deletes.Add(pod);
                if (monotonic)
                {
                    return false;
                }
            }

            return true;
        }

        bool PlanRollingUpdate()
        {
            if (set.Spec.UpdateStrategy?.Type is not (null or "RollingUpdate"))
            {
                return true;
            }

            var partition = Math.Max(set.Spec.UpdateStrategy?.RollingUpdate?.Partition ?? 0, 0);
            for (var i = replicas - 1; i >= partition; i--)
            {
                if (slots[i] is not { } pod || deletes.Contains(pod))
                {
                    return false;
                }

                if (RevisionOf(pod) != updateRevision && !PodUtil.IsTerminating(pod))
                {
                    deletes.Add(pod);
                    return false;
                }

                if (PodUtil.IsTerminating(pod) || !IsHealthy(pod, minReadySeconds, now))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Upstream <c>newVersionedStatefulSetPod</c>: with RollingUpdate, ordinals below the partition are made from the
    /// current revision, the rest (and every pod under OnDelete) from the update revision.
    /// </summary>
    public static string RevisionFor(V1StatefulSet set, int ordinal, string currentRevision, string updateRevision)
    {
        ArgumentNullException.ThrowIfNull(set?.Spec);
        var strategy = set.Spec.UpdateStrategy;
        var start = set.Spec.Ordinals?.Start ?? 0;
        if (strategy?.Type is null or "RollingUpdate")
        {
            var below = strategy?.RollingUpdate is { } rolling
                ? ordinal < start + (rolling.Partition ?? 0)
                : ordinal < start + (set.Status?.CurrentReplicas ?? 0);
            if (below)
            {
                return currentRevision;
            }
        }

        return updateRevision;
    }

    /// <summary>
    /// Upstream <c>computeReplicaStatus</c> + <c>completeRollingUpdate</c>: counts over the created pods (a phase is
    /// set); current/updated count pods not being deleted by their <c>controller-revision-hash</c>. When a rolling
    /// update has every pod updated and ready, the update revision becomes the current one.
    /// </summary>
    public static V1StatefulSetStatus Status(V1StatefulSet set, IReadOnlyList<V1Pod> pods, string currentRevision, string updateRevision, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(set?.Spec);
        ArgumentNullException.ThrowIfNull(pods);

        var minReadySeconds = set.Spec.MinReadySeconds ?? 0;
        var status = new V1StatefulSetStatus
        {
            ObservedGeneration = set.Metadata?.Generation,
            CollisionCount = set.Status?.CollisionCount,
            CurrentRevision = currentRevision,
            UpdateRevision = updateRevision,
            Conditions = set.Status?.Conditions is { Count: > 0 } conditions ? [.. conditions.Select(ObjectCopy.Clone)] : null,
            Replicas = 0,
            ReadyReplicas = 0,
            AvailableReplicas = 0,
            CurrentReplicas = 0,
            UpdatedReplicas = 0,
        };
        foreach (var pod in pods.Where(p => OrdinalOf(set.Metadata?.Name, p.Metadata?.Name) is not null))
        {
            var created = !string.IsNullOrEmpty(pod.Status?.Phase);
            if (created)
            {
                status.Replicas++;
            }

            if (IsRunningAndReady(pod))
            {
                status.ReadyReplicas++;
                if (PodUtil.IsAvailable(pod, minReadySeconds, now))
                {
                    status.AvailableReplicas++;
                }
            }

            if (created && !PodUtil.IsTerminating(pod))
            {
                var revision = RevisionOf(pod);
                if (revision == currentRevision)
                {
                    status.CurrentReplicas++;
                }

                if (revision == updateRevision)
                {
                    status.UpdatedReplicas++;
                }
            }
        }

        if (set.Spec.UpdateStrategy?.Type is null or "RollingUpdate"
            && status.UpdatedReplicas == status.Replicas
            && status.ReadyReplicas == status.Replicas)
        {
            status.CurrentReplicas = status.UpdatedReplicas;
            status.CurrentRevision = status.UpdateRevision;
        }

        return status;
    }

    /// <summary>
    /// The pod of <paramref name="ordinal"/> (upstream <c>newStatefulSetPod</c> + <c>updateIdentity</c> +
    /// <c>updateStorage</c>): name <c>&lt;set&gt;-&lt;ordinal&gt;</c>, the template's labels plus pod-name, pod-index and
    /// controller-revision-hash, hostname = its name and subdomain = serviceName (so the Service's EndpointSlices carry
    /// the hostname and DNS answers <c>&lt;pod&gt;.&lt;service&gt;</c>), a volume per volumeClaimTemplate naming the claim
    /// <c>&lt;template&gt;-&lt;set&gt;-&lt;ordinal&gt;</c> (Berth provisions none), and a controller reference.
    /// </summary>
    public static V1Pod NewPod(V1StatefulSet set, V1PodTemplateSpec template, string revision, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(set?.Metadata);
        ArgumentNullException.ThrowIfNull(template);

        var name = PodName(set.Metadata.Name, ordinal);
        var labels = ObjectCopy.CloneMap(template.Metadata?.Labels);
        labels[PodNameLabel] = name;
        labels[PodIndexLabel] = ordinal.ToString(CultureInfo.InvariantCulture);
        labels[RevisionLabel] = revision;
        var spec = template.Spec is null ? new V1PodSpec() : ObjectCopy.Clone(template.Spec);
        spec.Hostname = name;
        spec.Subdomain = string.IsNullOrEmpty(set.Spec?.ServiceName) ? null : set.Spec.ServiceName;
        foreach (var claim in set.Spec?.VolumeClaimTemplates ?? [])
        {
            var volumes = spec.Volumes ??= [];
            if (claim.Metadata?.Name is { Length: > 0 } claimName && volumes.All(v => v.Name != claimName))
            {
                volumes.Add(new V1Volume
                {
                    Name = claimName,
                    PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claimName + "-" + name },
                });
            }
        }

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = set.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = ObjectCopy.CloneMap(template.Metadata?.Annotations),
                Finalizers = template.Metadata?.Finalizers is { } finalizers ? [.. finalizers] : null,
                OwnerReferences = [ServiceUtil.ControllerRef(set.Metadata, "apps/v1", "StatefulSet")],
            },
            Spec = spec,
        };
    }

    public static string PodName(string setName, int ordinal) => setName + "-" + ordinal.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The ordinal of a pod of the set (upstream <c>getParentNameAndOrdinal</c>: <c>(.*)-([0-9]+)$</c>), or null when
    /// the pod's name is not <c>&lt;set&gt;-&lt;n&gt;</c>.
    /// </summary>
    public static int? OrdinalOf(string? setName, string? podName)
    {
        if (string.IsNullOrEmpty(setName) || podName is null || podName.Length <= setName.Length + 1
            || !podName.StartsWith(setName + "-", StringComparison.Ordinal))
        {
            return null;
        }

        var digits = podName.AsSpan(setName.Length + 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return null;
            }
        }

        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) ? ordinal : null;
    }

    public static string? RevisionOf(V1Pod pod) => ObjectCopy.Get(pod.Metadata?.Labels, RevisionLabel);

    /// <summary>Upstream <c>isRunningAndReady</c>.</summary>
    public static bool IsRunningAndReady(V1Pod pod) => pod.Status?.Phase == "Running" && PodUtil.IsReady(pod);

    /// <summary>Upstream <c>isHealthy</c>/<c>isRunningAndAvailable</c>: Running, ready for minReadySeconds, not being deleted.</summary>
    private static bool IsHealthy(V1Pod pod, int minReadySeconds, DateTimeOffset now) =>
        pod.Status?.Phase == "Running" && PodUtil.IsAvailable(pod, minReadySeconds, now) && !PodUtil.IsTerminating(pod);
}
