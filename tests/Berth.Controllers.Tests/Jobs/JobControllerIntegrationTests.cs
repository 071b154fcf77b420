using Berth.Controllers.GarbageCollection;
using Berth.Controllers.Jobs;
using Berth.Controllers.Tests.Integration;
using Berth.Core.Strategies;
using k8s.Models;

namespace Berth.Controllers.Tests.Jobs;

public sealed class JobControllerIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private readonly ControlPlaneFixture _fixture;

    public JobControllerIntegrationTests(ControlPlaneFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Sync_ThreeCompletionsTwoAtATime_CompletesWithCountedPodsAndNoFinalizersLeft()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new JobController(m));
        await using var kubelet = new JobKubelet(client, ns).Start();

        var created = await client.CreateAsync(Jobs.Job(ns, "pi", completions: 3, parallelism: 2), CancellationToken.None);

        var job = await Eventually.ValueAsync(async () => await client.GetAsync<V1Job>(ns, "pi", CancellationToken.None) is { } j && Jobs.Condition(j, "Complete") is not null ? j : null, "the Job complete");
        Assert.Equal(3, job.Status.Succeeded);
        Assert.Null(job.Status.Failed);
        Assert.Null(job.Status.Active);
        Assert.Equal(0, job.Status.Terminating);
        Assert.NotNull(job.Status.StartTime);
        Assert.NotNull(job.Status.CompletionTime);
        Assert.NotNull(Jobs.Condition(job, "SuccessCriteriaMet"));
        Assert.Empty(job.Status.UncountedTerminatedPods?.Succeeded ?? []);
        Assert.InRange(kubelet.MostRunningAtOnce, 1, 2);
        var pods = (await client.ListAsync<V1Pod>(ns, null, CancellationToken.None)).Items;
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.Equal("Succeeded", p.Status.Phase);
            Assert.DoesNotContain(BatchLabels.TrackingFinalizer, p.Metadata.Finalizers ?? []);
            Assert.Equal(created.Metadata.Uid, p.Metadata.Labels[BatchLabels.ControllerUid]);
            Assert.Equal("pi", p.Metadata.Labels[BatchLabels.JobName]);
            Assert.Equal(created.Metadata.Uid, Assert.Single(p.Metadata.OwnerReferences).Uid);
        });
    }

    [Fact]
    public async Task Sync_PodsFail_BackoffBetweenPodsThenFailedAtBackoffLimit()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        var clock = new ManualTimeProvider();
        await using var manager = await _fixture.StartAsync(new ControllerOptions { TimeProvider = clock }, m => new JobController(m));
        await using var kubelet = new JobKubelet(client, ns) { Clock = clock, Outcome = _ => "Failed" }.Start();

        await client.CreateAsync(Jobs.Job(ns, "fails", backoffLimit: 2), CancellationToken.None);

        // The first pod fails; its replacement waits 10 s of the controller's clock.
        await Eventually.TrueAsync(async () => (await client.GetAsync<V1Job>(ns, "fails", CancellationToken.None))?.Status?.Failed == 1, "one failure counted");
        var podsBefore = (await client.ListAsync<V1Pod>(ns, null, CancellationToken.None)).Items.Count;
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(1, podsBefore);

        var job = await Eventually.ValueAsync(
            async () =>
            {
                clock.Advance(TimeSpan.FromSeconds(2));
                return await client.GetAsync<V1Job>(ns, "fails", CancellationToken.None) is { } j && Jobs.Condition(j, "Failed") is not null ? j : null;
            },
            "the Job failed");

        Assert.Equal("BackoffLimitExceeded", Jobs.Condition(job, "Failed")!.Reason);
        Assert.Equal("Job has reached the specified backoff limit", Jobs.Condition(job, "Failed")!.Message);
        Assert.NotNull(Jobs.Condition(job, "FailureTarget"));
        Assert.Equal(3, job.Status.Failed);
        Assert.Null(job.Status.CompletionTime);
        Assert.Equal(3, (await client.ListAsync<V1Pod>(ns, null, CancellationToken.None)).Items.Count);
        var events = (await client.ListAsync<Corev1Event>(ns, null, CancellationToken.None)).Items;
        Assert.Contains(events, e => e.Reason == "BackoffLimitExceeded" && e.Type == "Warning" && e.InvolvedObject.Name == "fails");
    }

    [Fact]
    public async Task Sync_Indexed_EachIndexOnceWithItsAnnotationAndHostname()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new JobController(m));
        await using var kubelet = new JobKubelet(client, ns).Start();

        await client.CreateAsync(Jobs.Job(ns, "idx", completions: 3, parallelism: 3, mode: "Indexed"), CancellationToken.None);

        var job = await Eventually.ValueAsync(async () => await client.GetAsync<V1Job>(ns, "idx", CancellationToken.None) is { } j && Jobs.Condition(j, "Complete") is not null ? j : null, "the Job complete");
        Assert.Equal("0-2", job.Status.CompletedIndexes);
        var pods = (await client.ListAsync<V1Pod>(ns, null, CancellationToken.None)).Items;
        Assert.Equal(["0", "1", "2"], pods.Select(p => p.Metadata.Annotations[BatchLabels.CompletionIndex]).Order(StringComparer.Ordinal));
        Assert.All(pods, p => Assert.Equal("idx-" + p.Metadata.Annotations[BatchLabels.CompletionIndex], p.Spec.Hostname));
    }

    [Fact]
    public async Task Ttl_FinishedJob_DeletedWithItsPods()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new JobController(m), m => new TtlAfterFinishedController(m), m => new GarbageCollector(m));
        await using var kubelet = new JobKubelet(client, ns).Start();
        var job = Jobs.Job(ns, "short");
        job.Spec.TtlSecondsAfterFinished = 0;

        await client.CreateAsync(job, CancellationToken.None);

        await Eventually.TrueAsync(async () => await client.GetAsync<V1Job>(ns, "short", CancellationToken.None) is null, "the Job deleted");
        await Eventually.TrueAsync(async () => (await client.ListAsync<V1Pod>(ns, null, CancellationToken.None)).Items.Count == 0, "its pod deleted");
    }

    [Fact]
    public async Task Delete_RunningJob_GarbageCollectorDeletesThePodDespiteItsFinalizer()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new JobController(m), m => new GarbageCollector(m));
        await using var kubelet = new JobKubelet(client, ns) { Outcome = _ => null }.Start();
        await client.CreateAsync(Jobs.Job(ns, "forever"), CancellationToken.None);
        await Eventually.TrueAsync(async () => (await client.ListAsync<V1Pod>(ns, null, CancellationToken.None)).Items.Any(p => p.Status?.Phase == "Running"), "a running pod");

        await client.DeleteAsync<V1Job>(ns, "forever", new V1DeleteOptions { PropagationPolicy = "Background" }, CancellationToken.None);

        await Eventually.TrueAsync(async () => (await client.ListAsync<V1Pod>(ns, null, CancellationToken.None)).Items.Count == 0, "the pod gone");
    }

    [Fact]
    public async Task Delete_RunningPodByHand_CountedAsFailedAndReplaced()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new JobController(m));
        var finish = false;
        await using var kubelet = new JobKubelet(client, ns) { Outcome = _ => Volatile.Read(ref finish) ? "Succeeded" : null }.Start();
        await client.CreateAsync(Jobs.Job(ns, "victim"), CancellationToken.None);
        var first = await Eventually.ValueAsync(async () => (await client.ListAsync<V1Pod>(ns, null, CancellationToken.None)).Items.FirstOrDefault(p => p.Status?.Phase == "Running"), "a running pod");

        await client.DeleteAsync<V1Pod>(ns, first.Metadata.Name, null, CancellationToken.None);

        await Eventually.TrueAsync(async () => await client.GetAsync<V1Pod>(ns, first.Metadata.Name, CancellationToken.None) is null, "the deleted pod gone");
        var job = await Eventually.ValueAsync(async () => await client.GetAsync<V1Job>(ns, "victim", CancellationToken.None) is { Status.Failed: 1 } j ? j : null, "one failure counted");
        Assert.Null(Jobs.Condition(job, "Failed"));
        Volatile.Write(ref finish, true);
        await Eventually.TrueAsync(async () => Jobs.Condition(await client.GetAsync<V1Job>(ns, "victim", CancellationToken.None), "Complete") is not null, "the replacement completes the Job", TimeSpan.FromSeconds(30));
    }
}
