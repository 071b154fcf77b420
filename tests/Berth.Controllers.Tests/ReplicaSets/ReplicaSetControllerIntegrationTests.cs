using System.Globalization;
using Berth.Controllers.ReplicaSets;
using Berth.Controllers.Tests.Integration;
using k8s.Models;

namespace Berth.Controllers.Tests.ReplicaSets;

public sealed class ReplicaSetControllerIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private readonly ControlPlaneFixture _fixture;

    public ReplicaSetControllerIntegrationTests(ControlPlaneFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Sync_ScaledFromZeroToThree_CreatesThreeOwnedPodsAndReportsThemReady()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new ReplicaSetController(m));
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a" }.Start();
        var rs = await client.CreateAsync(Workloads.ReplicaSet(ns, "web", 0), CancellationToken.None);

        await ScaleAsync(ns, "web", 3);

        await Eventually.TrueAsync(async () => (await Workloads.ActivePodsAsync(client, ns)).Count == 3, "3 pods");
        var pods = await Workloads.ActivePodsAsync(client, ns);
        Assert.All(pods, p =>
        {
            var owner = Assert.Single(p.Metadata.OwnerReferences);
            Assert.Equal(rs.Metadata.Uid, owner.Uid);
            Assert.True(owner.Controller);
            Assert.StartsWith("web-", p.Metadata.Name, StringComparison.Ordinal);
        });
        var status = await Eventually.ValueAsync(
            async () => (await client.GetAsync<V1ReplicaSet>(ns, "web", CancellationToken.None))?.Status is { ReadyReplicas: 3, AvailableReplicas: 3 } s ? s : null,
            "readyReplicas 3");
        Assert.Equal(3, status.Replicas);
        Assert.Equal(3, status.FullyLabeledReplicas);
        Assert.True(status.ObservedGeneration >= 2);
        await Task.Delay(300);
        Assert.Equal(3, (await Workloads.ActivePodsAsync(client, ns)).Count);
    }

    [Fact]
    public async Task Sync_ScaledDown_DeletesNotReadyPodsFirst()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new ReplicaSetController(m));
        var mayBeReady = new HashSet<string>(StringComparer.Ordinal);
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a", MayBecomeReady = p => { lock (mayBeReady) { return mayBeReady.Contains(p.Metadata.Name); } } }.Start();
        await client.CreateAsync(Workloads.ReplicaSet(ns, "web", 4), CancellationToken.None);
        await Eventually.TrueAsync(async () => (await Workloads.ActivePodsAsync(client, ns)).Count(p => !string.IsNullOrEmpty(p.Spec.NodeName)) == 4, "4 bound pods");
        var chosen = (await Workloads.ActivePodsAsync(client, ns)).Select(p => p.Metadata.Name).Order(StringComparer.Ordinal).Take(2).ToList();
        lock (mayBeReady)
        {
            mayBeReady.UnionWith(chosen);
        }

        await Eventually.TrueAsync(async () => (await Workloads.ActivePodsAsync(client, ns)).Count(Workloads.IsReady) == 2, "2 ready pods");

        await ScaleAsync(ns, "web", 2);

        await Eventually.TrueAsync(async () => (await Workloads.ActivePodsAsync(client, ns)).Count == 2, "2 pods left");
        var left = (await Workloads.ActivePodsAsync(client, ns)).Select(p => p.Metadata.Name).Order(StringComparer.Ordinal);
        Assert.Equal(chosen, left);
    }

    [Fact]
    public async Task Sync_PodDeletedByHand_IsReplaced()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new ReplicaSetController(m));
        await client.CreateAsync(Workloads.ReplicaSet(ns, "web", 2), CancellationToken.None);
        await Eventually.TrueAsync(async () => (await Workloads.ActivePodsAsync(client, ns)).Count == 2, "2 pods");
        var victim = (await Workloads.ActivePodsAsync(client, ns))[0].Metadata.Name;

        await client.DeleteAsync<V1Pod>(ns, victim, null, CancellationToken.None);

        await Eventually.TrueAsync(
            async () => await Workloads.ActivePodsAsync(client, ns) is { Count: 2 } pods && pods.All(p => p.Metadata.Name != victim),
            "a replacement pod");
        await Task.Delay(300);
        Assert.Equal(2, (await Workloads.ActivePodsAsync(client, ns)).Count);
    }

    [Fact]
    public async Task Sync_OrphanPodMatchingSelector_IsAdoptedInsteadOfCreatingOne()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new ReplicaSetController(m));
        var orphan = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "orphan", NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = Workloads.Template("web").Spec,
        };
        await client.CreateAsync(orphan, CancellationToken.None);

        var rs = await client.CreateAsync(Workloads.ReplicaSet(ns, "web", 1), CancellationToken.None);

        await Eventually.TrueAsync(
            async () => (await client.GetAsync<V1Pod>(ns, "orphan", CancellationToken.None))?.Metadata.OwnerReferences?.Any(o => o.Uid == rs.Metadata.Uid && o.Controller == true) == true,
            "the orphan adopted");
        await Task.Delay(300);
        var pod = Assert.Single(await Workloads.ActivePodsAsync(client, ns));
        Assert.Equal("orphan", pod.Metadata.Name);
    }

    [Fact]
    public async Task Sync_PodLabelChangedAway_IsReleasedAndReplaced()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new ReplicaSetController(m));
        await client.CreateAsync(Workloads.ReplicaSet(ns, "web", 1), CancellationToken.None);
        var pod = await Eventually.ValueAsync(async () => (await Workloads.ActivePodsAsync(client, ns)).FirstOrDefault(), "a pod");

        await client.PatchAsync<V1Pod>(ns, pod.Metadata.Name, V1Patch.PatchType.MergePatch, """{"metadata":{"labels":{"app":"debug"}}}""", CancellationToken.None);

        await Eventually.TrueAsync(
            async () => (await client.GetAsync<V1Pod>(ns, pod.Metadata.Name, CancellationToken.None))?.Metadata.OwnerReferences is null or { Count: 0 },
            "the pod released");
        await Eventually.TrueAsync(async () => (await Workloads.ActivePodsAsync(client, ns)).Count == 2, "a replacement");
    }

    [Fact]
    public async Task Sync_ScaledUpThenDown_RecordsSuccessfulCreateAndDeleteEventsPerPod()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new ReplicaSetController(m));
        var rs = await client.CreateAsync(Workloads.ReplicaSet(ns, "web", 2), CancellationToken.None);
        await Eventually.TrueAsync(async () => (await Workloads.ActivePodsAsync(client, ns)).Count == 2, "2 pods");
        var created = (await Workloads.ActivePodsAsync(client, ns)).Select(p => "Created pod: " + p.Metadata.Name).Order(StringComparer.Ordinal).ToList();

        await ScaleAsync(ns, "web", 1);

        await Eventually.TrueAsync(async () => (await Workloads.ActivePodsAsync(client, ns)).Count == 1, "1 pod left");
        var kept = Assert.Single(await Workloads.ActivePodsAsync(client, ns)).Metadata.Name;
        var deleted = Assert.Single(created, m => !m.EndsWith(kept, StringComparison.Ordinal)).Replace("Created", "Deleted", StringComparison.Ordinal);
        var events = await Eventually.ValueAsync(
            async () => await EventsAsync(ns, "web") is var e && e.Count(x => x.Reason == "SuccessfulDelete") == 1 ? e : null,
            "a SuccessfulDelete event");
        Assert.Equal(created, events.Where(e => e.Reason == "SuccessfulCreate").Select(e => e.Message).Order(StringComparer.Ordinal));
        var delete = Assert.Single(events, e => e.Reason == "SuccessfulDelete");
        Assert.Equal(deleted, delete.Message);
        Assert.All(events, e =>
        {
            Assert.Equal("Normal", e.Type);
            Assert.Equal("ReplicaSet", e.InvolvedObject.Kind);
            Assert.Equal("apps/v1", e.InvolvedObject.ApiVersion);
            Assert.Equal(rs.Metadata.Uid, e.InvolvedObject.Uid);
            Assert.Equal("replicaset-controller", e.Source.Component);
        });
    }

    [Fact]
    public async Task Sync_PodCreateRefused_RecordsFailedCreateWarning()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(new PodCreateRejectingClient(_fixture.Client), null, m => new ReplicaSetController(m));

        await client.CreateAsync(Workloads.ReplicaSet(ns, "web", 1), CancellationToken.None);

        var failed = await Eventually.ValueAsync(
            async () => (await EventsAsync(ns, "web")).FirstOrDefault(e => e.Reason == "FailedCreate"),
            "a FailedCreate event");
        Assert.Equal("Warning", failed.Type);
        Assert.Equal("Error creating: " + PodCreateRejectingClient.Refusal, failed.Message);
        Assert.DoesNotContain(await EventsAsync(ns, "web"), e => e.Reason == "SuccessfulCreate");
    }

    /// <summary>The events about one ReplicaSet, read as <c>kubectl describe</c> reads them.</summary>
    private async Task<List<Corev1Event>> EventsAsync(string ns, string name) =>
        [.. (await _fixture.Client.ListAsync<Corev1Event>(ns, null, CancellationToken.None)).Items.Where(e => e.InvolvedObject.Kind == "ReplicaSet" && e.InvolvedObject.Name == name)];

    private Task ScaleAsync(string ns, string name, int replicas) =>
        _fixture.Client.PatchAsync<V1ReplicaSet>(
            ns,
            name,
            V1Patch.PatchType.MergePatch,
            "{\"spec\":{\"replicas\":" + replicas.ToString(CultureInfo.InvariantCulture) + "}}",
            CancellationToken.None);
}
