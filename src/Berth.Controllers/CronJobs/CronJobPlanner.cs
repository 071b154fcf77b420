using System.Globalization;
using Berth.Controllers.Common;
using Berth.Controllers.Jobs;
using Berth.Core.Strategies;
using k8s.Models;

namespace Berth.Controllers.CronJobs;

/// <summary>
/// Pure planner of the CronJob controller (<c>pkg/controller/cronjob/cronjob_controllerv2.go</c> <c>syncCronJob</c>,
/// <c>utils.go</c>, 1.32): cleans <c>status.active</c>, finds the most recent unmet schedule time, applies
/// startingDeadlineSeconds and the concurrency policy, builds the Job (<c>getJobFromTemplate2</c>) and trims the
/// history of finished Jobs.
/// </summary>
internal static class CronJobPlanner
{
    /// <summary>Upstream <c>nextScheduleDelta</c>: the controller wakes a little after the scheduled time.</summary>
    public static readonly TimeSpan NextScheduleDelta = TimeSpan.FromMilliseconds(100);

    /// <summary>More missed start times than this is reported (<c>TooManyMissedTimes</c>).</summary>
    private const int MaxMissed = 100;

    /// <summary>
    /// Plans one sync of <paramref name="cronJob"/> over the Jobs it controls. <paramref name="gone"/> are UIDs of
    /// <c>status.active</c> entries the API confirmed missing; entries absent from the cache but not confirmed stay.
    /// </summary>
    public static CronJobPlan Plan(V1CronJob cronJob, IReadOnlyList<V1Job> jobs, ISet<string> gone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cronJob?.Spec);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(gone);

        var status = cronJob.Status is null ? new V1CronJobStatus() : ObjectCopy.Clone(cronJob.Status);
        var active = status.Active?.ToList() ?? [];
        var events = new List<JobEvent>();
        var delete = new List<V1Job>();
        foreach (var job in jobs.OrderBy(j => j.Metadata.Name, StringComparer.Ordinal))
        {
            var listed = active.Any(r => r.Uid == job.Metadata.Uid);
            var finished = JobPlanner.IsFinished(job.Status);
            if (!listed && !finished)
            {
                events.Add(new JobEvent("Warning", "UnexpectedJob", "Saw a job that the controller did not create or forgot: " + job.Metadata.Name));
            }
            else if (listed && finished)
            {
                active.RemoveAll(r => r.Uid == job.Metadata.Uid);
                var condition = job.Status!.Conditions!.First(c => c.Type is "Complete" or "Failed" && c.Status == "True").Type;
                events.Add(new JobEvent("Normal", "SawCompletedJob", $"Saw completed job: {job.Metadata.Name}, condition: {condition}"));
            }
            else if (finished && job.Status?.CompletionTime is { } completed && (status.LastSuccessfulTime is null || completed > status.LastSuccessfulTime))
            {
                status.LastSuccessfulTime = completed;
            }
        }

        foreach (var missing in active.Where(r => gone.Contains(r.Uid)).ToList())
        {
            active.Remove(missing);
            events.Add(new JobEvent("Normal", "MissingJob", "Active job went missing: " + missing.Name));
        }

        TimeSpan? requeue = null;
        V1Job? create = null;
        DateTimeOffset? scheduled = null;
        if (cronJob.Metadata.DeletionTimestamp is null && cronJob.Spec.Suspend != true)
        {
            (create, scheduled, requeue) = Schedule(cronJob, status, active, jobs, now, events, delete);
        }

        delete.AddRange(History(cronJob, jobs.Where(j => !delete.Contains(j)).ToList()));
        foreach (var job in delete)
        {
            events.Add(new JobEvent("Normal", "SuccessfulDelete", "Deleted job " + job.Metadata.Name));
        }

        status.Active = active.Count == 0 ? null : active;
        return new CronJobPlan(status, create, scheduled, delete, events, requeue);
    }

    /// <summary>The Job upstream names <c>&lt;cronjob&gt;-&lt;scheduled time in minutes since the epoch&gt;</c> (<c>getJobFromTemplate2</c>).</summary>
    public static V1Job JobFor(V1CronJob cronJob, DateTimeOffset scheduled, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(cronJob?.Spec);
        var template = cronJob.Spec.JobTemplate;
        var annotations = ObjectCopy.CloneMap(template?.Metadata?.Annotations);
        annotations[BatchLabels.CronJobScheduledTimestamp] = TimeZoneInfo.ConvertTime(scheduled, zone).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture).Replace("+00:00", "Z", StringComparison.Ordinal);
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = cronJob.Metadata.Name + "-" + (scheduled.ToUnixTimeSeconds() / 60).ToString(CultureInfo.InvariantCulture),
                NamespaceProperty = cronJob.Metadata.NamespaceProperty,
                Labels = template?.Metadata?.Labels is { Count: > 0 } labels ? ObjectCopy.CloneMap(labels) : null,
                Annotations = annotations,
                OwnerReferences = [ServiceUtil.ControllerRef(cronJob.Metadata, "batch/v1", "CronJob")],
            },
            Spec = template?.Spec is null ? new V1JobSpec() : ObjectCopy.Clone(template.Spec),
        };
    }

    /// <summary>The zone the schedule is read in: <c>spec.timeZone</c>, else UTC (Berth's controller manager runs in UTC).</summary>
    public static TimeZoneInfo ZoneOf(V1CronJob cronJob) =>
        cronJob.Spec?.TimeZone is { } name && CronSchedule.TryFindZone(name, out var zone) ? zone! : TimeZoneInfo.Utc;

    private static (V1Job? Create, DateTimeOffset? Scheduled, TimeSpan? Requeue) Schedule(
        V1CronJob cronJob, V1CronJobStatus status, List<V1ObjectReference> active, IReadOnlyList<V1Job> jobs, DateTimeOffset now, List<JobEvent> events, List<V1Job> delete)
    {
        var spec = cronJob.Spec;
        if (!CronSchedule.TryParse(spec.Schedule, out var schedule, out var error))
        {
            // Upstream records UnparseableSchedule and waits for an update.
            events.Add(new JobEvent("Warning", "UnparseableSchedule", $"unparseable schedule: \"{spec.Schedule}\" : {error}"));
            return (null, null, null);
        }

        var zone = ZoneOf(cronJob);
        var next = schedule!.Next(now, zone);
        TimeSpan? requeue = next is { } n ? n - now + NextScheduleDelta : null;
        if (MostRecent(cronJob, schedule, zone, now, events) is not { } scheduled)
        {
            return (null, null, requeue);
        }

        if (spec.StartingDeadlineSeconds is { } deadline && scheduled + TimeSpan.FromSeconds(deadline) < now)
        {
            events.Add(new JobEvent("Warning", "MissSchedule", "Missed scheduled time to start a job: " + scheduled.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)));
            return (null, null, requeue);
        }

        var job = JobFor(cronJob, scheduled, zone);
        if (active.Any(r => r.Name == job.Metadata.Name) || status.LastScheduleTime == scheduled.UtcDateTime)
        {
            return (null, null, requeue);
        }

        if (spec.ConcurrencyPolicy == "Forbid" && active.Count > 0)
        {
            events.Add(new JobEvent("Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid"));
            return (null, null, requeue);
        }

        if (spec.ConcurrencyPolicy == "Replace")
        {
            foreach (var reference in active.ToList())
            {
                if (jobs.FirstOrDefault(j => j.Metadata.Uid == reference.Uid) is { } replaced)
                {
                    delete.Add(replaced);
                }

                active.Remove(reference);
            }
        }

        return (job, scheduled, requeue);
    }

    /// <summary>
    /// Upstream <c>mostRecentScheduleTime</c>: the latest schedule time after the last one (or the creation, or
    /// now − startingDeadlineSeconds when later) and not after <paramref name="now"/>, or null.
    /// </summary>
    private static DateTimeOffset? MostRecent(V1CronJob cronJob, CronSchedule schedule, TimeZoneInfo zone, DateTimeOffset now, List<JobEvent> events)
    {
        var earliest = Utc(cronJob.Status?.LastScheduleTime ?? cronJob.Metadata.CreationTimestamp ?? DateTime.UnixEpoch);
        if (cronJob.Spec.StartingDeadlineSeconds is { } deadline && now - TimeSpan.FromSeconds(deadline) > earliest)
        {
            earliest = now - TimeSpan.FromSeconds(deadline);
        }

        var missed = 0;
        DateTimeOffset? latest = null;
        for (var t = schedule.Next(earliest, zone); t is { } at && at <= now; t = schedule.Next(at, zone))
        {
            latest = at;
            if (++missed > MaxMissed)
            {
                events.Add(new JobEvent("Warning", "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"));
                return LatestBefore(schedule, zone, earliest, now);
            }
        }

        return latest;
    }

    /// <summary>The latest schedule time in (<paramref name="earliest"/>, <paramref name="now"/>], searched in growing windows back from now.</summary>
    private static DateTimeOffset? LatestBefore(CronSchedule schedule, TimeZoneInfo zone, DateTimeOffset earliest, DateTimeOffset now)
    {
        foreach (var window in new[] { TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(32), TimeSpan.FromDays(367), TimeSpan.FromDays(366 * 8) })
        {
            var from = now - window > earliest ? now - window : earliest;
            DateTimeOffset? latest = null;
            for (var t = schedule.Next(from, zone); t is { } at && at <= now; t = schedule.Next(at, zone))
            {
                latest = at;
            }

            if (latest is not null || from == earliest)
            {
                return latest;
            }
        }

        return null;
    }

    /// <summary>Upstream <c>cleanupFinishedJobs</c>: the oldest finished Jobs (by start time) past each history limit.</summary>
    private static IEnumerable<V1Job> History(V1CronJob cronJob, IReadOnlyList<V1Job> jobs)
    {
        IEnumerable<V1Job> Oldest(string condition, int? limit)
        {
            if (limit is not { } keep)
            {
                return [];
            }

            var finished = jobs
                .Where(j => j.Status?.Conditions?.Any(c => c.Type == condition && c.Status == "True") == true)
                .OrderBy(j => j.Status.StartTime ?? DateTime.MinValue)
                .ThenBy(j => j.Metadata.Name, StringComparer.Ordinal)
                .ToList();
            return finished.Take(Math.Max(0, finished.Count - keep));
        }

        return Oldest("Complete", cronJob.Spec.SuccessfulJobsHistoryLimit).Concat(Oldest("Failed", cronJob.Spec.FailedJobsHistoryLimit));
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
