using Berth.Client;
using Berth.Controllers.CronJobs;
using Berth.Controllers.Tests.Integration;
using Berth.Core.Strategies;
using k8s.Models;

namespace Berth.Controllers.Tests.CronJobs;

/// <summary>The CronJob controller against the real server on a manual clock: each test moves time a minute at a time.</summary>
public sealed class CronJobControllerIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private readonly ControlPlaneFixture _fixture;

    public CronJobControllerIntegrationTests(ControlPlaneFixture fixture) => _fixture = fixture;

    private static V1CronJob CronJob(string ns, string policy = "Allow", int successfulHistory = 3) => new()
    {
        Metadata = new V1ObjectMeta { Name = "tick", NamespaceProperty = ns },
        Spec = new V1CronJobSpec
        {
            Schedule = "* * * * *",
            ConcurrencyPolicy = policy,
            SuccessfulJobsHistoryLimit = successfulHistory,
            JobTemplate = new V1JobTemplateSpec
            {
                Spec = new V1JobSpec
                {
                    Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "busybox" }] } },
                },
            },
        },
    };

    /// <summary>A manual clock set to the server's real time, so that the CronJob's creation time is "now" for the controller too.</summary>
    private static ManualTimeProvider ClockAtNow()
    {
        var clock = new ManualTimeProvider();
        clock.Advance(DateTimeOffset.UtcNow - clock.GetUtcNow());
        return clock;
    }

    private async Task<List<V1Job>> JobsAsync(string ns) =>
        [.. (await _fixture.Client.ListAsync<V1Job>(ns, null, CancellationToken.None)).Items.Where(j => j.Metadata.DeletionTimestamp is null).OrderBy(j => j.Metadata.Name, StringComparer.Ordinal)];

    private async Task CompleteAsync(V1Job job)
    {
        var now = DateTime.UtcNow;
        job.Status = new V1JobStatus
        {
            StartTime = now,
            CompletionTime = now,
            Succeeded = 1,
            Conditions = [new V1JobCondition { Type = "Complete", Status = "True", LastTransitionTime = now }],
        };
        await _fixture.Client.UpdateStatusAsync(job, CancellationToken.None);
    }

    [Fact]
    public async Task Sync_ClockPassesTheMinute_CreatesTheJobAndRecordsIt()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var clock = ClockAtNow();
        await using var manager = await _fixture.StartAsync(new ControllerOptions { TimeProvider = clock }, m => new CronJobController(m));
        var cronJob = await _fixture.Client.CreateAsync(CronJob(ns), CancellationToken.None);
        var expected = (cronJob.Metadata.CreationTimestamp!.Value.Ticks / TimeSpan.TicksPerMinute) + 1;

        clock.Advance(TimeSpan.FromMinutes(1));

        var job = Assert.Single(await Eventually.ValueAsync(async () => await JobsAsync(ns) is { Count: > 0 } jobs ? jobs : null, "a Job"));
        var scheduled = new DateTimeOffset(expected * TimeSpan.TicksPerMinute, TimeSpan.Zero);
        Assert.Equal("tick-" + (scheduled.ToUnixTimeSeconds() / 60), job.Metadata.Name);
        Assert.Equal(scheduled.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), job.Metadata.Annotations[BatchLabels.CronJobScheduledTimestamp]);
        Assert.Equal(cronJob.Metadata.Uid, Assert.Single(job.Metadata.OwnerReferences).Uid);
        var status = await Eventually.ValueAsync(async () => (await _fixture.Client.GetAsync<V1CronJob>(ns, "tick", CancellationToken.None))?.Status is { Active.Count: 1 } s ? s : null, "the Job active");
        Assert.Equal(job.Metadata.Uid, status.Active[0].Uid);
        Assert.Equal(scheduled.UtcDateTime, status.LastScheduleTime);
    }

    [Fact]
    public async Task Sync_Forbid_NoSecondJobWhileTheFirstRuns()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var clock = ClockAtNow();
        await using var manager = await _fixture.StartAsync(new ControllerOptions { TimeProvider = clock }, m => new CronJobController(m));
        await _fixture.Client.CreateAsync(CronJob(ns, "Forbid"), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));
        var first = Assert.Single(await Eventually.ValueAsync(async () => await JobsAsync(ns) is { Count: > 0 } jobs ? jobs : null, "the first Job"));
        await Eventually.TrueAsync(async () => (await _fixture.Client.GetAsync<V1CronJob>(ns, "tick", CancellationToken.None))?.Status?.Active?.Count == 1, "the first Job active");

        clock.Advance(TimeSpan.FromMinutes(1));

        await Eventually.TrueAsync(
            async () => (await _fixture.Client.ListAsync<Corev1Event>(ns, null, CancellationToken.None)).Items.Any(e => e.Reason == "JobAlreadyActive"),
            "the JobAlreadyActive event");
        Assert.Single(await JobsAsync(ns));

        // As in Kubernetes, the skipped minute starts late once the first Job finishes (no startingDeadlineSeconds).
        await CompleteAsync(first);
        var status = await Eventually.ValueAsync(
            async () => (await _fixture.Client.GetAsync<V1CronJob>(ns, "tick", CancellationToken.None))?.Status is { Active: [var a] } s && a.Uid != first.Metadata.Uid ? s : null,
            "the skipped minute's Job active");
        Assert.Equal(2, (await JobsAsync(ns)).Count);
        Assert.Equal(first.Metadata.Name, "tick-" + ((new DateTimeOffset(status.LastScheduleTime!.Value, TimeSpan.Zero).ToUnixTimeSeconds() / 60) - 1));
    }

    [Fact]
    public async Task Sync_Replace_DeletesTheRunningJobForTheNext()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var clock = ClockAtNow();
        await using var manager = await _fixture.StartAsync(new ControllerOptions { TimeProvider = clock }, m => new CronJobController(m));
        await _fixture.Client.CreateAsync(CronJob(ns, "Replace"), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));
        var first = Assert.Single(await Eventually.ValueAsync(async () => await JobsAsync(ns) is { Count: > 0 } jobs ? jobs : null, "the first Job"));
        await Eventually.TrueAsync(async () => (await _fixture.Client.GetAsync<V1CronJob>(ns, "tick", CancellationToken.None))?.Status?.Active?.Count == 1, "the first Job active");

        clock.Advance(TimeSpan.FromMinutes(1));

        var second = await Eventually.ValueAsync(async () => await JobsAsync(ns) is [var only] && only.Metadata.Name != first.Metadata.Name ? only : null, "the first Job replaced by a second");
        var status = await Eventually.ValueAsync(async () => (await _fixture.Client.GetAsync<V1CronJob>(ns, "tick", CancellationToken.None))?.Status is { Active: [var a] } s && a.Uid == second.Metadata.Uid ? s : null, "the second Job active");
        Assert.Single(status.Active);
    }

    [Fact]
    public async Task Sync_SuccessfulHistoryLimitOne_KeepsOnlyTheNewestFinishedJob()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var clock = ClockAtNow();
        await using var manager = await _fixture.StartAsync(new ControllerOptions { TimeProvider = clock }, m => new CronJobController(m));
        await _fixture.Client.CreateAsync(CronJob(ns, successfulHistory: 1), CancellationToken.None);
        var names = new List<string>();

        for (var i = 1; i <= 3; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            var job = await Eventually.ValueAsync(async () => (await JobsAsync(ns)).FirstOrDefault(j => !names.Contains(j.Metadata.Name) && j.Status?.Conditions is null), "Job " + i);
            names.Add(job.Metadata.Name);
            await CompleteAsync(job);
        }

        await Eventually.TrueAsync(async () => (await JobsAsync(ns)).Select(j => j.Metadata.Name).SequenceEqual([names[^1]]), "only the newest Job kept");
        var status = await Eventually.ValueAsync(async () => (await _fixture.Client.GetAsync<V1CronJob>(ns, "tick", CancellationToken.None))?.Status is { LastSuccessfulTime: not null, Active: null } s ? s : null, "the last success recorded");
        Assert.NotNull(status.LastScheduleTime);
    }
}
