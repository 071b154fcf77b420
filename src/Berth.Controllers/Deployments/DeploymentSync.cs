using System.Globalization;
using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.Deployments;

/// <summary>
/// The working state of one <see cref="DeploymentPlanner"/> run: private copies of the ReplicaSets that the steps
/// scale as upstream's controller would through the API, remembering which ones changed.
/// </summary>
internal sealed class DeploymentSync
{
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);

    public DeploymentSync(DeploymentPlanInput input)
    {
        Input = input;
        Deployment = input.Deployment;
        Status = input.Deployment.Status is null ? new V1DeploymentStatus() : ObjectCopy.Clone(input.Deployment.Status);
        All = [.. input.ReplicaSets.Select(ObjectCopy.Clone).OrderBy(rs => rs, ReplicaSetOrder.ByCreation)];
    }

    public DeploymentPlanInput Input { get; }

    public V1Deployment Deployment { get; }

    public DateTimeOffset Now => Input.Now;

    /// <summary>The Deployment status as updated by intermediate steps (conditions set while finding the new RS).</summary>
    public V1DeploymentStatus Status { get; set; }

    /// <summary>Every owned ReplicaSet, oldest first, plus the one being created.</summary>
    public List<V1ReplicaSet> All { get; }

    public V1ReplicaSet? New { get; set; }

    public V1ReplicaSet? Created { get; set; }

    public string? RevisionToSet { get; set; }

    public List<V1ReplicaSet> Deleted { get; } = [];

    public List<V1ReplicaSet> Old => [.. All.Where(rs => !ReferenceEquals(rs, New))];

    public void MarkDirty(V1ReplicaSet replicaSet)
    {
        if (!ReferenceEquals(replicaSet, Created))
        {
            _dirty.Add(replicaSet.Metadata.Name);
        }
    }

    public IReadOnlyList<V1ReplicaSet> Updated => [.. All.Where(rs => _dirty.Contains(rs.Metadata.Name))];

    /// <summary>
    /// Upstream <c>scaleReplicaSet</c>: sets spec.replicas and the desired/max-replicas annotations when either is stale.
    /// Returns true when the size changed.
    /// </summary>
    public bool Scale(V1ReplicaSet replicaSet, int newScale)
    {
        var replicas = DeploymentMath.Replicas(Deployment);
        var maxReplicas = replicas + DeploymentMath.MaxSurge(Deployment);
        var sizeChanged = DeploymentMath.Replicas(replicaSet) != newScale;
        var annotationsChanged = SetReplicasAnnotations(replicaSet, replicas, maxReplicas);
        if (sizeChanged || annotationsChanged)
        {
            replicaSet.Spec.Replicas = newScale;
            MarkDirty(replicaSet);
        }

        return sizeChanged;
    }

    /// <summary>Sets <c>deployment.kubernetes.io/desired-replicas</c> and <c>max-replicas</c>; true when either changed.</summary>
    public static bool SetReplicasAnnotations(V1ReplicaSet replicaSet, int desired, int max)
    {
        replicaSet.Metadata.Annotations ??= new Dictionary<string, string>();
        var annotations = replicaSet.Metadata.Annotations;
        var changed = false;
        foreach (var (key, value) in new[] { (WellKnown.DesiredReplicasAnnotation, desired), (WellKnown.MaxReplicasAnnotation, max) })
        {
            var text = value.ToString(CultureInfo.InvariantCulture);
            if (!annotations.TryGetValue(key, out var current) || current != text)
            {
                annotations[key] = text;
                changed = true;
            }
        }

        return changed;
    }

    public void Delete(V1ReplicaSet replicaSet)
    {
        All.Remove(replicaSet);
        _dirty.Remove(replicaSet.Metadata.Name);
        Deleted.Add(replicaSet);
    }
}
