using k8s.Models;

namespace Berth.Controllers.Deployments;

/// <summary>
/// One sync of a Deployment. Apply in order: create <see cref="ReplicaSetToCreate"/>, update
/// <see cref="ReplicaSetsToUpdate"/> (full copies: scale, annotations, minReadySeconds), set the Deployment's
/// <c>deployment.kubernetes.io/revision</c> annotation to <see cref="RevisionToSet"/> when not null, delete
/// <see cref="ReplicaSetsToDelete"/> (history beyond revisionHistoryLimit), then write <see cref="Status"/> through
/// <c>/status</c> when <see cref="StatusChanged"/>.
/// </summary>
internal sealed record DeploymentPlan
{
    public V1ReplicaSet? ReplicaSetToCreate { get; init; }

    public IReadOnlyList<V1ReplicaSet> ReplicaSetsToUpdate { get; init; } = [];

    public IReadOnlyList<V1ReplicaSet> ReplicaSetsToDelete { get; init; } = [];

    public string? RevisionToSet { get; init; }

    public required V1DeploymentStatus Status { get; init; }

    public bool StatusChanged { get; init; }
}
