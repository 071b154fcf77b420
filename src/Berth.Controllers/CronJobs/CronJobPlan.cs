using Berth.Controllers.Jobs;
using k8s.Models;

namespace Berth.Controllers.CronJobs;

/// <summary>
/// What one sync of a CronJob does (<see cref="CronJobPlanner.Plan"/>): delete <see cref="Delete"/> (the active Jobs a
/// Replace policy replaces, and finished Jobs past the history limits; propagation Background), create
/// <see cref="Create"/> for <see cref="ScheduledTime"/> (then add it to <c>status.active</c> and set
/// <c>lastScheduleTime</c>), write <see cref="Status"/>, record <see cref="Events"/>, look again after
/// <see cref="RequeueAfter"/> (the next scheduled time).
/// </summary>
internal sealed record CronJobPlan(
    V1CronJobStatus Status,
    V1Job? Create,
    DateTimeOffset? ScheduledTime,
    IReadOnlyList<V1Job> Delete,
    IReadOnlyList<JobEvent> Events,
    TimeSpan? RequeueAfter);
