using k8s.Models;

namespace Berth.Controllers.ReplicaSets;

/// <summary>
/// One sync of a ReplicaSet: how many pods to create (from <see cref="ReplicaSetPlanner.PodFromTemplate"/>), which
/// pods to delete, the status to write, and — with minReadySeconds — when to look again because ready pods will
/// become available (upstream requeues after minReadySeconds).
/// </summary>
internal sealed record ReplicaSetPlan(
    int PodsToCreate,
    IReadOnlyList<V1Pod> PodsToDelete,
    V1ReplicaSetStatus Status,
    TimeSpan? RequeueAfter);
