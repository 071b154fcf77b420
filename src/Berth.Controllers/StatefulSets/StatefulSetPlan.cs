using k8s.Models;

namespace Berth.Controllers.StatefulSets;

/// <summary>
/// One sync of a StatefulSet: the pods to create (ordinal and the revision each is made from), the pods to delete, the
/// status to write, and when to look again (a ready pod becomes available after minReadySeconds).
/// </summary>
internal sealed record StatefulSetPlan(
    IReadOnlyList<StatefulPodToCreate> PodsToCreate,
    IReadOnlyList<V1Pod> PodsToDelete,
    V1StatefulSetStatus Status,
    TimeSpan? RequeueAfter);
