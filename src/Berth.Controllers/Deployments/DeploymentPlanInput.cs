using k8s.Models;

namespace Berth.Controllers.Deployments;

/// <summary>What <see cref="DeploymentPlanner"/> needs for one Deployment; the caller reads it from its caches.</summary>
internal sealed record DeploymentPlanInput
{
    public required V1Deployment Deployment { get; init; }

    /// <summary>The ReplicaSets the Deployment owns (after adoption/release by the controller).</summary>
    public required IReadOnlyList<V1ReplicaSet> ReplicaSets { get; init; }

    /// <summary>Pods of those ReplicaSets; only the Recreate strategy reads them (it waits for old pods to go).</summary>
    public IReadOnlyList<V1Pod> Pods { get; init; } = [];

    /// <summary>The time written into conditions and compared with progressDeadlineSeconds.</summary>
    public required DateTimeOffset Now { get; init; }
}
