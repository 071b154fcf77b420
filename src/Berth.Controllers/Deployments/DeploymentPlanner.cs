using System.Globalization;
using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.Deployments;

/// <summary>
/// Pure planner of the Deployment controller (<c>pkg/controller/deployment</c>: <c>syncDeployment</c>,
/// <c>rolling.go</c>, <c>recreate.go</c>, <c>sync.go</c>, <c>progress.go</c>): one sync step from the Deployment and
/// its ReplicaSets to the writes to make. Like upstream, a step does one thing (scale up, or scale down, or wait)
/// and relies on the resulting watch events for the next step.
/// </summary>
internal static partial class DeploymentPlanner
{
    /// <summary>Upstream's cap on the revision-history annotation length.</summary>
    public const int MaxRevisionHistoryLength = 2000;

    private static readonly string[] _skipCopyAnnotations =
    [
        WellKnown.LastAppliedConfigAnnotation,
        WellKnown.RevisionAnnotation,
        WellKnown.RevisionHistoryAnnotation,
        WellKnown.DesiredReplicasAnnotation,
        WellKnown.MaxReplicasAnnotation,
        WellKnown.DeprecatedRollbackToAnnotation,
    ];

    public static DeploymentPlan Plan(DeploymentPlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Deployment?.Metadata);
        ArgumentNullException.ThrowIfNull(input.Deployment.Spec);

        var sync = new DeploymentSync(input);
        var deployment = input.Deployment;
        var selector = deployment.Spec.Selector;
        var selectsEverything = selector is null || ((selector.MatchLabels?.Count ?? 0) + (selector.MatchExpressions?.Count ?? 0) == 0);

        if (selectsEverything)
        {
            // Upstream refuses to act on a selector that selects every pod; only observedGeneration moves.
            sync.Status.ObservedGeneration = deployment.Metadata.Generation;
        }
        else if (deployment.Metadata.DeletionTimestamp is not null)
        {
            FindNewReplicaSet(sync, createIfMissing: false);
            sync.Status = CalculateStatus(sync);
        }
        else
        {
            SetPausedCondition(sync);
            FindNewReplicaSet(sync, createIfMissing: false);
            if (deployment.Spec.Paused == true || IsScalingEvent(sync))
            {
                ScaleAndSync(sync);
            }
            else if (DeploymentMath.IsRollingUpdate(deployment))
            {
                RolloutRolling(sync);
            }
            else
            {
                RolloutRecreate(sync);
            }
        }

        var original = deployment.Status is null ? "null" : CanonicalJson.Render(deployment.Status);
        return new DeploymentPlan
        {
            ReplicaSetToCreate = sync.Created,
            ReplicaSetsToUpdate = sync.Updated,
            ReplicaSetsToDelete = sync.Deleted,
            RevisionToSet = sync.RevisionToSet,
            Status = sync.Status,
            StatusChanged = CanonicalJson.Render(sync.Status) != original,
        };
    }

    /// <summary>
    /// Upstream <c>getNewReplicaSet</c>: the oldest ReplicaSet whose template equals the Deployment's (ignoring the hash
    /// label) is the new one — for <c>kubectl rollout undo</c> that is an old ReplicaSet, which then gets the next
    /// revision. Without one, and when asked, a ReplicaSet <c>&lt;deployment&gt;-&lt;hash&gt;</c> is planned for creation.
    /// </summary>
    private static void FindNewReplicaSet(DeploymentSync sync, bool createIfMissing)
    {
        var deployment = sync.Deployment;
        sync.New ??= sync.All.FirstOrDefault(rs => PodTemplateHash.EqualIgnoreHash(rs.Spec?.Template, deployment.Spec.Template));
        var maxOldRevision = sync.Old.Select(ReplicaSetOrder.Revision).DefaultIfEmpty(0).Max();
        var newRevision = (maxOldRevision + 1).ToString(CultureInfo.InvariantCulture);

        if (sync.New is { } existing)
        {
            if (ReferenceEquals(existing, sync.Created))
            {
                return;
            }

            var annotationsUpdated = SetNewReplicaSetAnnotations(deployment, existing, newRevision, exists: true);
            var minReadySeconds = deployment.Spec.MinReadySeconds ?? 0;
            if (annotationsUpdated || (existing.Spec.MinReadySeconds ?? 0) != minReadySeconds)
            {
                existing.Spec.MinReadySeconds = minReadySeconds;
                sync.MarkDirty(existing);
                return;
            }

            SetRevision(sync, ObjectCopy.Get(existing.Metadata.Annotations, WellKnown.RevisionAnnotation) ?? string.Empty);
            if (HasProgressDeadline(deployment) && Condition(sync.Status, Progressing) is null)
            {
                SetCondition(sync.Status, NewCondition(sync, Progressing, "True", FoundNewReplicaSetReason, $"Found new replica set \"{existing.Metadata.Name}\""));
            }

            return;
        }

        if (!createIfMissing)
        {
            return;
        }

        var template = ObjectCopy.Clone(deployment.Spec.Template);
        var hash = PodTemplateHash.Compute(template, sync.Status.CollisionCount);
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = ObjectCopy.CloneMap(template.Metadata.Labels);
        template.Metadata.Labels[WellKnown.PodTemplateHashLabel] = hash;
        var name = deployment.Metadata.Name + "-" + hash;
        if (sync.All.Any(rs => rs.Metadata.Name == name))
        {
            // Hash collision with a ReplicaSet of another template: upstream bumps collisionCount and retries.
            sync.Status.CollisionCount = (sync.Status.CollisionCount ?? 0) + 1;
            return;
        }

        var selector = ObjectCopy.Clone(deployment.Spec.Selector);
        selector.MatchLabels = ObjectCopy.CloneMap(selector.MatchLabels);
        selector.MatchLabels[WellKnown.PodTemplateHashLabel] = hash;
        var created = new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = deployment.Metadata.NamespaceProperty,
                OwnerReferences = [ServiceUtil.ControllerRef(deployment.Metadata, "apps/v1", "Deployment")],
                Labels = new Dictionary<string, string>(template.Metadata.Labels),
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 0,
                MinReadySeconds = deployment.Spec.MinReadySeconds ?? 0,
                Selector = selector,
                Template = template,
            },
            Status = new V1ReplicaSetStatus { Replicas = 0 },
        };
        sync.All.Add(created);
        created.Spec.Replicas = DeploymentMath.NewReplicaSetReplicas(deployment, sync.All, created);
        SetNewReplicaSetAnnotations(deployment, created, newRevision, exists: false);
        sync.New = created;
        sync.Created = created;
        SetRevision(sync, newRevision);
        if (HasProgressDeadline(deployment))
        {
            SetCondition(sync.Status, NewCondition(sync, Progressing, "True", NewReplicaSetCreatedReason, $"Created new replica set \"{name}\""));
        }
    }

    private static void SetRevision(DeploymentSync sync, string revision)
    {
        var current = ObjectCopy.Get(sync.Deployment.Metadata.Annotations, WellKnown.RevisionAnnotation);
        if (current != revision)
        {
            sync.RevisionToSet = revision;
        }
    }

    /// <summary>
    /// Upstream <c>SetNewReplicaSetAnnotations</c>: copy the Deployment's annotations (minus the controller's own),
    /// raise the revision when it is below <paramref name="newRevision"/> (keeping the replaced value in
    /// revision-history, as on rollback), and on creation set desired/max-replicas. True when anything changed.
    /// </summary>
    private static bool SetNewReplicaSetAnnotations(V1Deployment deployment, V1ReplicaSet replicaSet, string newRevision, bool exists)
    {
        replicaSet.Metadata.Annotations ??= new Dictionary<string, string>();
        var annotations = replicaSet.Metadata.Annotations;
        var changed = false;
        foreach (var (key, value) in deployment.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (!_skipCopyAnnotations.Contains(key) && (!annotations.TryGetValue(key, out var current) || current != value))
            {
                annotations[key] = value;
                changed = true;
            }
        }

        var hadRevision = annotations.TryGetValue(WellKnown.RevisionAnnotation, out var oldRevision);
        long oldValue = 0;
        if (!string.IsNullOrEmpty(oldRevision) && !long.TryParse(oldRevision, NumberStyles.None, CultureInfo.InvariantCulture, out oldValue))
        {
            return false; // upstream gives up on an unparsable revision
        }

        var newValue = long.Parse(newRevision, CultureInfo.InvariantCulture);
        if (oldValue < newValue)
        {
            annotations[WellKnown.RevisionAnnotation] = newRevision;
            changed = true;
            if (hadRevision && !string.IsNullOrEmpty(oldRevision))
            {
                AppendRevisionHistory(annotations, oldRevision);
            }
        }

        if (!exists)
        {
            var replicas = DeploymentMath.Replicas(deployment);
            changed |= DeploymentSync.SetReplicasAnnotations(replicaSet, replicas, replicas + DeploymentMath.MaxSurge(deployment));
        }

        return changed;
    }

    private static void AppendRevisionHistory(IDictionary<string, string> annotations, string oldRevision)
    {
        var history = ObjectCopy.Get(annotations, WellKnown.RevisionHistoryAnnotation) ?? string.Empty;
        if (history.Length == 0)
        {
            annotations[WellKnown.RevisionHistoryAnnotation] = oldRevision;
            return;
        }

        var revisions = history.Split(',').ToList();
        var totalLength = history.Length + oldRevision.Length + 1;
        while (totalLength > MaxRevisionHistoryLength && revisions.Count > 0)
        {
            totalLength -= revisions[0].Length + 1;
            revisions.RemoveAt(0);
        }

        revisions.Add(oldRevision);
        annotations[WellKnown.RevisionHistoryAnnotation] = string.Join(',', revisions);
    }

    /// <summary>
    /// Upstream <c>cleanupDeployment</c>: delete the oldest-revision old ReplicaSets beyond revisionHistoryLimit
    /// (default 10), skipping any that still have pods, are not yet observed by their controller, or are being deleted.
    /// </summary>
    private static void CleanupHistory(DeploymentSync sync)
    {
        var limit = sync.Deployment.Spec.RevisionHistoryLimit ?? 10;
        if (limit == int.MaxValue)
        {
            return;
        }

        var cleanable = sync.Old.Where(rs => rs.Metadata.DeletionTimestamp is null).Order(ReplicaSetOrder.ByRevision).ToList();
        var diff = cleanable.Count - limit;
        for (var i = 0; i < diff; i++)
        {
            var rs = cleanable[i];
            if (rs.Status?.Replicas is > 0 || DeploymentMath.Replicas(rs) != 0
                || (rs.Metadata.Generation ?? 0) > (rs.Status?.ObservedGeneration ?? 0))
            {
                continue;
            }

            sync.Delete(rs);
        }
    }
}
