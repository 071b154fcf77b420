using Berth.Controllers.CronJobs;
using Berth.Core.Strategies;
using k8s.Models;

namespace Berth.Controllers.Tests.CronJobs;

public sealed class CronJobPlannerTests
{
    private static readonly DateTimeOffset _created = new(2025, 1, 1, 10, 0, 30, TimeSpan.Zero);
    private static readonly HashSet<string> _noneGone = [];

    private static V1CronJob CronJob(string schedule = "*/5 * * * *", string policy = "Allow") => new()
    {
        Metadata = new V1ObjectMeta { Name = "tick", NamespaceProperty = "default", Uid = "cj-uid", CreationTimestamp = _created.UtcDateTime },
        Spec = new V1CronJobSpec
        {
            Schedule = schedule,
            ConcurrencyPolicy = policy,
            Suspend = false,
            SuccessfulJobsHistoryLimit = 3,
            FailedJobsHistoryLimit = 1,
            JobTemplate = new V1JobTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "tick" } },
                Spec = new V1JobSpec
                {
                    Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "busybox" }] } },
                },
            },
        },
        Status = new V1CronJobStatus(),
    };

    private static V1Job Job(string name, string? finished = null, int startMinute = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "uid-" + name },
        Spec = new V1JobSpec(),
        Status = new V1JobStatus
        {
            StartTime = _created.UtcDateTime.AddMinutes(startMinute),
            CompletionTime = finished == "Complete" ? _created.UtcDateTime.AddMinutes(startMinute + 1) : null,
            Conditions = finished is null ? null : [new V1JobCondition { Type = finished, Status = "True" }],
        },
    };

    private static V1ObjectReference Ref(V1Job job) => new() { Kind = "Job", Name = job.Metadata.Name, Uid = job.Metadata.Uid };

    [Fact]
    public void Plan_BeforeTheFirstTime_NothingAndRequeueAtIt()
    {
        var plan = CronJobPlanner.Plan(CronJob(), [], _noneGone, _created.AddMinutes(1));

        Assert.Null(plan.Create);
        Assert.Equal(TimeSpan.FromMinutes(3.5) + CronJobPlanner.NextScheduleDelta, plan.RequeueAfter);
    }

    [Fact]
    public void Plan_ScheduleTimeReached_CreatesTheJobNamedByMinutesSinceEpoch()
    {
        var now = new DateTimeOffset(2025, 1, 1, 10, 5, 0, 100, TimeSpan.Zero);

        var plan = CronJobPlanner.Plan(CronJob(), [], _noneGone, now);

        var job = Assert.IsType<V1Job>(plan.Create);
        var minutes = new DateTimeOffset(2025, 1, 1, 10, 5, 0, TimeSpan.Zero).ToUnixTimeSeconds() / 60;
        Assert.Equal("tick-" + minutes, job.Metadata.Name);
        Assert.Equal("2025-01-01T10:05:00Z", job.Metadata.Annotations[BatchLabels.CronJobScheduledTimestamp]);
        Assert.Equal("tick", job.Metadata.Labels["app"]);
        Assert.Equal(("CronJob", "cj-uid", true), (job.Metadata.OwnerReferences[0].Kind, job.Metadata.OwnerReferences[0].Uid, job.Metadata.OwnerReferences[0].Controller == true));
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 10, 5, 0, TimeSpan.Zero), plan.ScheduledTime);
    }

    [Fact]
    public void Plan_TimeZone_ScheduledTimestampInThatZone()
    {
        var cronJob = CronJob("0 12 * * *");
        cronJob.Spec.TimeZone = "Europe/Paris";

        var plan = CronJobPlanner.Plan(cronJob, [], _noneGone, new DateTimeOffset(2025, 1, 1, 11, 0, 1, TimeSpan.Zero));

        Assert.Equal("2025-01-01T12:00:00+01:00", plan.Create!.Metadata.Annotations[BatchLabels.CronJobScheduledTimestamp]);
    }

    [Fact]
    public void Plan_ForbidWhileOneRuns_SkipsWithEvent()
    {
        var running = Job("tick-1");
        var cronJob = CronJob(policy: "Forbid");
        cronJob.Status.Active = [Ref(running)];

        var plan = CronJobPlanner.Plan(cronJob, [running], _noneGone, _created.AddMinutes(5));

        Assert.Null(plan.Create);
        Assert.Contains(plan.Events, e => e.Reason == "JobAlreadyActive");
    }

    [Fact]
    public void Plan_Replace_DeletesTheRunningJobAndCreatesTheNext()
    {
        var running = Job("tick-1");
        var cronJob = CronJob(policy: "Replace");
        cronJob.Status.Active = [Ref(running)];

        var plan = CronJobPlanner.Plan(cronJob, [running], _noneGone, _created.AddMinutes(5));

        Assert.NotNull(plan.Create);
        Assert.Same(running, Assert.Single(plan.Delete));
        Assert.Null(plan.Status.Active);
    }

    [Fact]
    public void Plan_ActiveJobFinished_LeavesActiveAndRecordsSuccessTime()
    {
        var done = Job("tick-1", "Complete");
        var cronJob = CronJob();
        cronJob.Status.Active = [Ref(done)];

        var first = CronJobPlanner.Plan(cronJob, [done], _noneGone, _created.AddMinutes(1));
        cronJob.Status = first.Status;
        var second = CronJobPlanner.Plan(cronJob, [done], _noneGone, _created.AddMinutes(1));

        Assert.Null(first.Status.Active);
        Assert.Contains(first.Events, e => e.Reason == "SawCompletedJob" && e.Message == "Saw completed job: tick-1, condition: Complete");
        Assert.Equal(done.Status.CompletionTime, second.Status.LastSuccessfulTime);
    }

    [Fact]
    public void Plan_HistoryLimits_DeleteTheOldestFinished()
    {
        var jobs = new[]
        {
            Job("s1", "Complete", 1), Job("s2", "Complete", 2), Job("s3", "Complete", 3), Job("s4", "Complete", 4),
            Job("f1", "Failed", 1), Job("f2", "Failed", 2), Job("running", null, 5),
        };

        var plan = CronJobPlanner.Plan(CronJob(), jobs, _noneGone, _created.AddMinutes(1));

        Assert.Equal(["s1", "f1"], plan.Delete.Select(j => j.Metadata.Name));
    }

    [Fact]
    public void Plan_StartingDeadlinePassed_MissSchedule()
    {
        var cronJob = CronJob();
        cronJob.Spec.StartingDeadlineSeconds = 10;
        cronJob.Status.LastScheduleTime = _created.UtcDateTime;

        var plan = CronJobPlanner.Plan(cronJob, [], _noneGone, new DateTimeOffset(2025, 1, 1, 10, 5, 30, TimeSpan.Zero));

        Assert.Null(plan.Create);
    }

    [Fact]
    public void Plan_ActiveJobGone_RemovedWithMissingJobEvent()
    {
        var cronJob = CronJob();
        cronJob.Status.Active = [new V1ObjectReference { Name = "tick-9", Uid = "gone-uid" }];

        var plan = CronJobPlanner.Plan(cronJob, [], new HashSet<string> { "gone-uid" }, _created.AddMinutes(1));

        Assert.Null(plan.Status.Active);
        Assert.Contains(plan.Events, e => e.Reason == "MissingJob");
    }

    [Fact]
    public void Plan_ManyMissedTimes_StartsOnlyTheMostRecent()
    {
        var cronJob = CronJob("* * * * *");

        var plan = CronJobPlanner.Plan(cronJob, [], _noneGone, _created.AddDays(3).AddSeconds(5));

        Assert.Equal(new DateTimeOffset(2025, 1, 4, 10, 0, 0, TimeSpan.Zero), plan.ScheduledTime);
        Assert.Contains(plan.Events, e => e.Reason == "TooManyMissedTimes");
    }

    [Fact]
    public void Plan_Suspended_CreatesNothing()
    {
        var cronJob = CronJob();
        cronJob.Spec.Suspend = true;

        var plan = CronJobPlanner.Plan(cronJob, [], _noneGone, _created.AddMinutes(10));

        Assert.Null(plan.Create);
        Assert.Null(plan.RequeueAfter);
    }
}
