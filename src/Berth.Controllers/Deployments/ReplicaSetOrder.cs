using System.Globalization;
using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.Deployments;

/// <summary>ReplicaSet orderings of <c>pkg/controller/controller_utils.go</c> and <c>deployment_util.go</c>.</summary>
internal sealed class ReplicaSetOrder : IComparer<V1ReplicaSet>
{
    private readonly Comparison<V1ReplicaSet> _compare;

    private ReplicaSetOrder(Comparison<V1ReplicaSet> compare) => _compare = compare;

    /// <summary>Oldest first, then by name (<c>ReplicaSetsByCreationTimestamp</c>).</summary>
    public static ReplicaSetOrder ByCreation { get; } = new(CompareCreation);

    /// <summary>Lowest revision first, then by creation (<c>ReplicaSetsByRevision</c>).</summary>
    public static ReplicaSetOrder ByRevision { get; } = new((a, b) =>
    {
        var byRevision = Revision(a).CompareTo(Revision(b));
        return byRevision != 0 ? byRevision : CompareCreation(a, b);
    });

    /// <summary>Largest first, ties newest first (<c>ReplicaSetsBySizeNewer</c>, for scaling up).</summary>
    public static ReplicaSetOrder BySizeNewer { get; } = new((a, b) =>
    {
        var bySize = DeploymentMath.Replicas(b).CompareTo(DeploymentMath.Replicas(a));
        return bySize != 0 ? bySize : CompareCreation(b, a);
    });

    /// <summary>Largest first, ties oldest first (<c>ReplicaSetsBySizeOlder</c>, for scaling down).</summary>
    public static ReplicaSetOrder BySizeOlder { get; } = new((a, b) =>
    {
        var bySize = DeploymentMath.Replicas(b).CompareTo(DeploymentMath.Replicas(a));
        return bySize != 0 ? bySize : CompareCreation(a, b);
    });

    public int Compare(V1ReplicaSet? x, V1ReplicaSet? y) => _compare(x!, y!);

    /// <summary>The <c>deployment.kubernetes.io/revision</c> annotation, 0 when absent or unparsable.</summary>
    public static long Revision(V1ReplicaSet replicaSet) =>
        replicaSet.Metadata?.Annotations is { } annotations
        && annotations.TryGetValue(WellKnown.RevisionAnnotation, out var text)
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : 0;

    private static int CompareCreation(V1ReplicaSet a, V1ReplicaSet b)
    {
        var byTime = Nullable.Compare(a.Metadata?.CreationTimestamp, b.Metadata?.CreationTimestamp);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Metadata?.Name, b.Metadata?.Name);
    }
}
