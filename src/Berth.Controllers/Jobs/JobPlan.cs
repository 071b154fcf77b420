using k8s.Models;

namespace Berth.Controllers.Jobs;

/// <summary>
/// What one sync of a Job does, in order (<see cref="JobPlanner.Plan"/>): write <see cref="UncountedStatus"/> (the
/// finished pods recorded in <c>status.uncountedTerminatedPods</c> before their finalizers go), remove the tracking
/// finalizer from <see cref="RemoveFinalizers"/>, create one pod per entry of <see cref="Create"/> (its completion
/// index, or null for NonIndexed), delete <see cref="Delete"/>, then write <see cref="Status"/> when it differs, emit
/// <see cref="Events"/> and look again after <see cref="RequeueAfter"/>.
/// </summary>
internal sealed record JobPlan(
    V1JobStatus? UncountedStatus,
    IReadOnlyList<V1Pod> RemoveFinalizers,
    IReadOnlyList<int?> Create,
    IReadOnlyList<V1Pod> Delete,
    V1JobStatus Status,
    IReadOnlyList<JobEvent> Events,
    TimeSpan? RequeueAfter);
