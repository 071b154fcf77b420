using Berth.Controllers.Jobs;
using Berth.Core.Strategies;
using k8s.Models;

namespace Berth.Controllers.Tests.Jobs;

public sealed class JobPlannerTests
{
    private static readonly DateTimeOffset _now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static V1Job Job(int? completions = 1, int parallelism = 1, int backoffLimit = 6, string mode = "NonIndexed") => new()
    {
        Metadata = new V1ObjectMeta { Name = "pi", NamespaceProperty = "default", Uid = "job-uid" },
        Spec = new V1JobSpec
        {
            Completions = completions,
            Parallelism = parallelism,
            BackoffLimit = backoffLimit,
            CompletionMode = mode,
            PodReplacementPolicy = "TerminatingOrFailed",
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { [BatchLabels.ControllerUid] = "job-uid" } },
                Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            },
        },
        Status = new V1JobStatus { StartTime = _now.UtcDateTime.AddMinutes(-1) },
    };

    private static V1Pod Pod(string name, string? phase = "Running", int? index = null, DateTime? finished = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Uid = "uid-" + name,
            CreationTimestamp = _now.UtcDateTime.AddMinutes(-1),
            Finalizers = [BatchLabels.TrackingFinalizer],
            Annotations = index is { } i ? new Dictionary<string, string> { [BatchLabels.CompletionIndex] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } : null,
            OwnerReferences = [new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "pi", Uid = "job-uid", Controller = true }],
        },
        Spec = new V1PodSpec(),
        Status = new V1PodStatus
        {
            Phase = phase,
            ContainerStatuses = finished is { } at ? [new V1ContainerStatus { Name = "main", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { FinishedAt = at } } }] : null,
        },
    };

    private static JobPlan Plan(V1Job job, params V1Pod[] pods) => JobPlanner.Plan(job, pods, _now, JobPlanner.HasTrackingFinalizer);

    private static V1JobCondition? Condition(V1JobStatus status, string type) => status.Conditions?.FirstOrDefault(c => c.Type == type);

    [Fact]
    public void Plan_NewJob_CreatesParallelismPodsAndSetsStartTime()
    {
        var job = Job(completions: 5, parallelism: 2);
        job.Status = null;

        var plan = Plan(job);

        Assert.Equal(2, plan.Create.Count);
        Assert.All(plan.Create, i => Assert.Null(i));
        Assert.Equal(_now.UtcDateTime, plan.Status.StartTime);
        Assert.Equal(2, plan.Status.Active);
        Assert.Null(plan.UncountedStatus);
    }

    [Fact]
    public void Plan_CompletionsNearlyReached_CreatesOnlyTheRemainder()
    {
        var job = Job(completions: 3, parallelism: 3);
        job.Status!.Succeeded = 2;

        var plan = Plan(job);

        Assert.Single(plan.Create);
    }

    [Fact]
    public void Plan_PodSucceeded_RecordsItUncountedThenCountsItAndCompletes()
    {
        var pod = Pod("a", "Succeeded");

        var plan = Plan(Job(), pod);

        Assert.Equal(["uid-a"], plan.UncountedStatus!.UncountedTerminatedPods.Succeeded);
        Assert.Null(plan.UncountedStatus.Succeeded);
        Assert.Same(pod, Assert.Single(plan.RemoveFinalizers));
        Assert.Equal(1, plan.Status.Succeeded);
        Assert.Empty(plan.Status.UncountedTerminatedPods.Succeeded ?? []);
        Assert.Equal("True", Condition(plan.Status, "SuccessCriteriaMet")?.Status);
        Assert.Equal("CompletionsReached", Condition(plan.Status, "Complete")?.Reason);
        Assert.Equal(_now.UtcDateTime, plan.Status.CompletionTime);
        Assert.Contains(plan.Events, e => e.Reason == "Completed");
        Assert.Empty(plan.Create);
    }

    [Fact]
    public void Plan_PodAlreadyCounted_IsNotCountedAgain()
    {
        var pod = Pod("a", "Succeeded");
        pod.Metadata.Finalizers = null;
        var job = Job(completions: 2);
        job.Status!.Succeeded = 1;

        var plan = Plan(job, pod);

        Assert.Null(plan.UncountedStatus);
        Assert.Empty(plan.RemoveFinalizers);
        Assert.Equal(1, plan.Status.Succeeded);
        Assert.Single(plan.Create);
    }

    [Fact]
    public void Plan_UncountedPodWhoseFinalizerIsGone_IsCountedOnce()
    {
        var pod = Pod("a", "Succeeded");
        pod.Metadata.Finalizers = null;
        var job = Job(completions: 2);
        job.Status!.UncountedTerminatedPods = new V1UncountedTerminatedPods { Succeeded = ["uid-a"] };

        var plan = Plan(job, pod);

        Assert.Null(plan.UncountedStatus);
        Assert.Equal(1, plan.Status.Succeeded);
        Assert.Empty(plan.Status.UncountedTerminatedPods.Succeeded ?? []);
    }

    [Fact]
    public void Plan_SucceededWhileAnotherPodTerminates_WaitsForItBeforeComplete()
    {
        var terminating = Pod("b");
        terminating.Metadata.DeletionTimestamp = _now.UtcDateTime;
        terminating.Metadata.Finalizers = null;

        var plan = Plan(Job(), Pod("a", "Succeeded"), terminating);

        Assert.Equal("True", Condition(plan.Status, "SuccessCriteriaMet")?.Status);
        Assert.Null(Condition(plan.Status, "Complete"));
        Assert.Equal(1, plan.Status.Terminating);
    }

    [Fact]
    public void Plan_FailedPod_WaitsTheBackoffBeforeAReplacement()
    {
        var failed = Pod("a", "Failed", finished: _now.UtcDateTime.AddSeconds(-4));

        var plan = Plan(Job(), failed);

        Assert.Empty(plan.Create);
        Assert.Equal(1, plan.Status.Failed);
        Assert.Equal(TimeSpan.FromSeconds(6), plan.RequeueAfter);
    }

    [Fact]
    public void Plan_ThreeFailures_BackoffDoubles()
    {
        var pods = new[]
        {
            Pod("a", "Failed", finished: _now.UtcDateTime.AddSeconds(-100)),
            Pod("b", "Failed", finished: _now.UtcDateTime.AddSeconds(-60)),
            Pod("c", "Failed", finished: _now.UtcDateTime.AddSeconds(-30)),
        };

        var plan = Plan(Job(), pods);

        Assert.Empty(plan.Create);
        Assert.Equal(TimeSpan.FromSeconds(10), plan.RequeueAfter);
    }

    [Fact]
    public void Plan_BackoffPassed_CreatesAReplacement()
    {
        var failed = Pod("a", "Failed", finished: _now.UtcDateTime.AddSeconds(-11));

        var plan = Plan(Job(), failed);

        Assert.Single(plan.Create);
        Assert.Null(plan.RequeueAfter);
    }

    [Fact]
    public void Plan_MoreFailuresThanBackoffLimit_FailureTargetThenFailedOnceNothingRuns()
    {
        var job = Job(completions: 2, parallelism: 2, backoffLimit: 1);
        job.Status!.Failed = 1;
        var running = Pod("b");

        var plan = Plan(job, Pod("a", "Failed", finished: _now.UtcDateTime), running);

        Assert.Equal("BackoffLimitExceeded", Condition(plan.Status, "FailureTarget")?.Reason);
        Assert.Null(Condition(plan.Status, "Failed"));
        Assert.Same(running, Assert.Single(plan.Delete));
        Assert.Empty(plan.Create);

        var later = Job(completions: 2, parallelism: 2, backoffLimit: 1);
        later.Status = plan.Status;
        var next = Plan(later);

        Assert.Equal("Job has reached the specified backoff limit", Condition(next.Status, "Failed")?.Message);
        Assert.Null(next.Status.CompletionTime);
        Assert.Contains(next.Events, e => e is { Type: "Warning", Reason: "BackoffLimitExceeded" });
    }

    [Fact]
    public void Plan_DeletedRunningPod_CountsAsFailedAndIsReplacedAtOnceButAfterBackoff()
    {
        var deleted = Pod("a");
        deleted.Metadata.DeletionTimestamp = _now.UtcDateTime.AddSeconds(-20);

        var plan = Plan(Job(), deleted);

        Assert.Equal(["uid-a"], plan.UncountedStatus!.UncountedTerminatedPods.Failed);
        Assert.Equal(1, plan.Status.Failed);
        Assert.Equal(1, plan.Status.Terminating);
        Assert.Single(plan.Create);
    }

    [Fact]
    public void Plan_ActiveDeadlinePassed_FailsWithDeadlineExceeded()
    {
        var job = Job();
        job.Spec.ActiveDeadlineSeconds = 30;
        var running = Pod("a");

        var plan = Plan(job, running);

        Assert.Equal("DeadlineExceeded", Condition(plan.Status, "FailureTarget")?.Reason);
        Assert.Same(running, Assert.Single(plan.Delete));
    }

    [Fact]
    public void Plan_ActiveDeadlineAhead_RequeuesAtIt()
    {
        var job = Job();
        job.Spec.ActiveDeadlineSeconds = 90;

        var plan = Plan(job, Pod("a"));

        Assert.Equal(TimeSpan.FromSeconds(30), plan.RequeueAfter);
    }

    [Fact]
    public void Plan_Suspended_DeletesActivePodsAndSetsSuspended()
    {
        var job = Job();
        job.Spec.Suspend = true;
        var running = Pod("a");

        var plan = Plan(job, running);

        Assert.Same(running, Assert.Single(plan.Delete));
        Assert.Equal("JobSuspended", Condition(plan.Status, "Suspended")?.Reason);
        Assert.Contains(plan.Events, e => e.Reason == "Suspended");
    }

    [Fact]
    public void Plan_Resumed_RestartsTheClockAndCreates()
    {
        var job = Job();
        job.Status!.Conditions = [new V1JobCondition { Type = "Suspended", Status = "True", Reason = "JobSuspended" }];

        var plan = Plan(job);

        Assert.Equal("False", Condition(plan.Status, "Suspended")?.Status);
        Assert.Equal(_now.UtcDateTime, plan.Status.StartTime);
        Assert.Single(plan.Create);
    }

    [Fact]
    public void Plan_Indexed_CreatesTheMissingIndexesAndRecordsCompletedOnes()
    {
        var job = Job(completions: 4, parallelism: 4, mode: "Indexed");

        var plan = Plan(job, Pod("p0", "Succeeded", index: 0), Pod("p2", index: 2));

        Assert.Equal([1, 3], plan.Create.Select(i => i!.Value));
        Assert.Equal("0", plan.Status.CompletedIndexes);
        Assert.Equal(1, plan.Status.Succeeded);
    }

    [Fact]
    public void Plan_IndexedDuplicateIndex_DeletesTheYoungerPod()
    {
        var job = Job(completions: 2, parallelism: 2, mode: "Indexed");
        var older = Pod("a", index: 1);
        var younger = Pod("b", index: 1);
        younger.Metadata.CreationTimestamp = _now.UtcDateTime;

        var plan = Plan(job, older, younger);

        Assert.Same(younger, Assert.Single(plan.Delete));
        Assert.Equal([0], plan.Create.Select(i => i!.Value));
    }

    [Fact]
    public void Plan_JobBeingDeleted_ReleasesEveryFinalizerAndDoesNothingElse()
    {
        var job = Job();
        job.Metadata.DeletionTimestamp = _now.UtcDateTime;

        var plan = Plan(job, Pod("a"), Pod("b", "Succeeded"));

        Assert.Equal(2, plan.RemoveFinalizers.Count);
        Assert.Empty(plan.Create);
        Assert.Null(plan.UncountedStatus);
    }

    [Fact]
    public void Plan_NoCompletionsSet_OneSuccessEndsItOnceTheOthersFinish()
    {
        var job = Job(completions: null, parallelism: 2);

        var running = Plan(job, Pod("a", "Succeeded"), Pod("b"));
        var done = Plan(job, Pod("a", "Succeeded"), Pod("b", "Succeeded"));

        Assert.Empty(running.Create);
        Assert.Null(Condition(running.Status, "Complete"));
        Assert.NotNull(Condition(done.Status, "Complete"));
    }

    [Fact]
    public void Plan_OnFailureRestartsReachBackoffLimit_Fails()
    {
        var job = Job(backoffLimit: 2);
        job.Spec.Template.Spec.RestartPolicy = "OnFailure";
        var pod = Pod("a");
        pod.Status.ContainerStatuses = [new V1ContainerStatus { Name = "main", RestartCount = 2 }];

        var plan = Plan(job, pod);

        Assert.Equal("BackoffLimitExceeded", Condition(plan.Status, "FailureTarget")?.Reason);
    }

    [Fact]
    public void PodFromTemplate_Indexed_HasIndexHostnameEnvFinalizerAndOwner()
    {
        var job = Job(completions: 3, mode: "Indexed");

        var pod = JobPlanner.PodFromTemplate(job, 2);

        Assert.Equal("pi-2-", pod.Metadata.GenerateName);
        Assert.Equal("2", pod.Metadata.Annotations[BatchLabels.CompletionIndex]);
        Assert.Equal("2", pod.Metadata.Labels[BatchLabels.CompletionIndex]);
        Assert.Equal("pi-2", pod.Spec.Hostname);
        Assert.Contains(BatchLabels.TrackingFinalizer, pod.Metadata.Finalizers);
        var env = Assert.Single(pod.Spec.Containers[0].Env);
        Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", env.ValueFrom.FieldRef.FieldPath);
        var owner = Assert.Single(pod.Metadata.OwnerReferences);
        Assert.Equal(("batch/v1", "Job", "job-uid", true), (owner.ApiVersion, owner.Kind, owner.Uid, owner.Controller == true));
        Assert.Null(job.Spec.Template.Spec.Containers[0].Env);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 4, 6, 7 }, "0-2,4,6-7")]
    [InlineData(new[] { 3 }, "3")]
    [InlineData(new int[0], null)]
    public void CompletedIndexes_FormatsIntervalsAndParsesThemBack(int[] indexes, string? text)
    {
        Assert.Equal(text, CompletedIndexes.Format(indexes));
        Assert.Equal(indexes, CompletedIndexes.Parse(text, 100));
    }
}
