using Berth.ApiServer.Tests.Infrastructure;
using Berth.Client;
using Berth.Controllers.StatefulSets;
using Berth.Controllers.Tests.Integration;
using Berth.Controllers.Tests.ReplicaSets;
using k8s.Models;

namespace Berth.Controllers.Tests.StatefulSets;

/// <summary>The StatefulSet controller against the real API server; <see cref="FakeKubelet"/> plays the node agent.</summary>
public sealed class StatefulSetControllerIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private readonly ControlPlaneFixture _fixture;

    public StatefulSetControllerIntegrationTests(ControlPlaneFixture fixture) => _fixture = fixture;

    private static V1StatefulSet Set(string ns, int replicas, string policy = "OrderedReady", string image = "nginx:1") => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = ns },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = "web",
            PodManagementPolicy = policy,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = Workloads.Template("web", image),
        },
    };

    [Fact]
    public async Task Sync_OrderedReady_CreatesEachOrdinalOnlyAfterTheLowerOnesAreReady()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        await using var manager = await _fixture.StartAsync(null, m => new StatefulSetController(m));
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a", MayBecomeReady = p => { lock (allowed) { return allowed.Contains(p.Metadata.Name); } } }.Start();

        await client.CreateAsync(Set(ns, 3), CancellationToken.None);

        // The controller has seen web-0 (status counts it) and, web-0 not being ready, created nothing more.
        await SettledAsync(client, ns, replicas: 1, ready: 0);
        Assert.Equal(["web-0"], await PodNamesAsync(client, ns));
        Allow(allowed, "web-0");
        await SettledAsync(client, ns, replicas: 2, ready: 1);
        Assert.Equal(["web-0", "web-1"], await PodNamesAsync(client, ns));
        Allow(allowed, "web-1", "web-2");
        var status = await SettledAsync(client, ns, replicas: 3, ready: 3);
        Assert.Equal(["web-0", "web-1", "web-2"], await PodNamesAsync(client, ns));
        Assert.Equal(["web-0", "web-1", "web-2"], await EventPodsAsync(client, ns, "SuccessfulCreate"));
        Assert.Equal(status.CurrentRevision, status.UpdateRevision);
        Assert.Equal(3, status.CurrentReplicas);
        Assert.Equal(3, status.UpdatedReplicas);
        var pod = await client.GetAsync<V1Pod>(ns, "web-1", CancellationToken.None);
        Assert.Equal(("web-1", "web"), (pod!.Spec.Hostname, pod.Spec.Subdomain));
        Assert.Equal("1", pod.Metadata.Labels[StatefulSetPlanner.PodIndexLabel]);
        Assert.Equal(status.UpdateRevision, pod.Metadata.Labels[StatefulSetPlanner.RevisionLabel]);
        var revision = Assert.Single((await client.ListAsync<V1ControllerRevision>(ns, null, CancellationToken.None)).Items);
        Assert.Equal((status.UpdateRevision, 1L), (revision.Metadata.Name, revision.Revision ?? 0));
    }

    [Fact]
    public async Task Sync_ScaledDown_RemovesTheHighestOrdinalFirstOneAtATime()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new StatefulSetController(m));
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a" }.Start();
        await client.CreateAsync(Set(ns, 3), CancellationToken.None);
        await SettledAsync(client, ns, replicas: 3, ready: 3);

        await client.PatchAsync<V1StatefulSet>(ns, "web", V1Patch.PatchType.MergePatch, """{"spec":{"replicas":1}}""", CancellationToken.None);

        await SettledAsync(client, ns, replicas: 1, ready: 1);
        Assert.Equal(["web-0"], await PodNamesAsync(client, ns));
        Assert.Equal(["web-2", "web-1"], await EventPodsAsync(client, ns, "SuccessfulDelete"));
    }

    [Fact]
    public async Task Sync_Parallel_CreatesEveryPodWithoutWaitingForReadiness()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new StatefulSetController(m));
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a", MayBecomeReady = _ => false }.Start();

        await client.CreateAsync(Set(ns, 3, "Parallel"), CancellationToken.None);

        await SettledAsync(client, ns, replicas: 3, ready: 0);
        Assert.Equal(["web-0", "web-1", "web-2"], await PodNamesAsync(client, ns));
    }

    [Fact]
    public async Task Sync_PodDeleted_ComesBackUnderItsName()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new StatefulSetController(m));
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a" }.Start();
        await client.CreateAsync(Set(ns, 2), CancellationToken.None);
        await SettledAsync(client, ns, replicas: 2, ready: 2);
        var before = await client.GetAsync<V1Pod>(ns, "web-1", CancellationToken.None);

        await client.DeleteAsync<V1Pod>(ns, "web-1", null, CancellationToken.None);

        var after = await Eventually.ValueAsync(
            async () => await client.GetAsync<V1Pod>(ns, "web-1", CancellationToken.None) is { } p && p.Metadata.Uid != before!.Metadata.Uid && Workloads.IsReady(p) ? p : null,
            "web-1 back and ready");
        Assert.Equal("web-1", after.Spec.Hostname);
        Assert.Equal(["web-0", "web-1"], await PodNamesAsync(client, ns));
    }

    [Fact]
    public async Task Sync_RollingUpdateWithPartition_UpdatesFromTheHighestOrdinalDownToThePartition()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new StatefulSetController(m));
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a" }.Start();
        await client.CreateAsync(Set(ns, 3), CancellationToken.None);
        var first = await SettledAsync(client, ns, replicas: 3, ready: 3);

        await client.PatchAsync<V1StatefulSet>(ns, "web", V1Patch.PatchType.MergePatch, """
            {"spec":{"updateStrategy":{"rollingUpdate":{"partition":1}},"template":{"spec":{"containers":[{"name":"main","image":"nginx:2"}]}}}}
            """, CancellationToken.None);

        var partial = await Eventually.ValueAsync(
            async () => await client.GetAsync<V1StatefulSet>(ns, "web", CancellationToken.None) is { Status: { UpdatedReplicas: 2, ReadyReplicas: 3, CurrentReplicas: 1 } s } set && set.Status.ObservedGeneration == set.Metadata.Generation ? s : null,
            "two pods updated");
        Assert.Equal(first.CurrentRevision, partial.CurrentRevision);
        Assert.NotEqual(partial.CurrentRevision, partial.UpdateRevision);
        Assert.Equal(["nginx:1", "nginx:2", "nginx:2"], await ImagesAsync(client, ns));
        Assert.Equal(["web-2", "web-1"], await EventPodsAsync(client, ns, "SuccessfulDelete"));

        await client.PatchAsync<V1StatefulSet>(ns, "web", V1Patch.PatchType.MergePatch, """{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}""", CancellationToken.None);

        var done = await Eventually.ValueAsync(
            async () => await client.GetAsync<V1StatefulSet>(ns, "web", CancellationToken.None) is { Status: { UpdatedReplicas: 3, ReadyReplicas: 3 } s } && s.CurrentRevision == s.UpdateRevision ? s : null,
            "every pod updated");
        Assert.Equal(partial.UpdateRevision, done.CurrentRevision);
        Assert.Equal(["nginx:2", "nginx:2", "nginx:2"], await ImagesAsync(client, ns));
        var revisions = (await client.ListAsync<V1ControllerRevision>(ns, null, CancellationToken.None)).Items.OrderBy(r => r.Revision).ToList();
        Assert.Equal([(first.UpdateRevision, 1L), (done.UpdateRevision, 2L)], revisions.Select(r => (r.Metadata.Name, r.Revision ?? 0)));
    }

    [Fact]
    public async Task Sync_OrphanPodNamedForTheSet_IsAdopted()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new StatefulSetController(m));
        var orphan = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web-0", NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = Workloads.Template("web").Spec,
        };
        await client.CreateAsync(orphan, CancellationToken.None);

        var set = await client.CreateAsync(Set(ns, 1), CancellationToken.None);

        await Eventually.TrueAsync(
            async () => (await client.GetAsync<V1Pod>(ns, "web-0", CancellationToken.None))?.Metadata.OwnerReferences?.Any(o => o.Uid == set.Metadata.Uid && o.Controller == true) == true,
            "web-0 adopted");
    }

    [Fact]
    public async Task Kubectl_RolloutStatusHistoryAndUndo_WorkOnTheSetsRevisions()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        var kubectl = new Kubectl(_fixture.Host.KubeconfigPath, _fixture.DataDir);
        await using var manager = await _fixture.StartAsync(null, m => new StatefulSetController(m));
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a" }.Start();
        await client.CreateAsync(Set(ns, 2), CancellationToken.None);
        await kubectl.OkAsync("rollout", "status", "-n", ns, "sts/web", "--timeout=60s");
        await kubectl.OkAsync("set", "image", "-n", ns, "sts/web", "main=nginx:2");
        var status = await kubectl.OkAsync("rollout", "status", "-n", ns, "sts/web", "--timeout=60s");

        var history = await kubectl.OkAsync("rollout", "history", "-n", ns, "sts/web");
        var second = await kubectl.OkAsync("rollout", "history", "-n", ns, "sts/web", "--revision=2");
        var undo = await kubectl.OkAsync("rollout", "undo", "-n", ns, "sts/web");
        await kubectl.OkAsync("rollout", "status", "-n", ns, "sts/web", "--timeout=60s");

        Assert.Contains("partitioned roll out complete: 2 new pods have been updated", status, StringComparison.Ordinal);
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s*\n1\s+<none>\s*\n2\s+<none>", history);
        Assert.Contains("Image:", second, StringComparison.Ordinal);
        Assert.Contains("nginx:2", second, StringComparison.Ordinal);
        Assert.Equal("statefulset.apps/web rolled back", undo.Trim());
        await Eventually.TrueAsync(async () => (await ImagesAsync(client, ns)).SequenceEqual(["nginx:1", "nginx:1"]), "both pods back on nginx:1");
        var revisions = (await client.ListAsync<V1ControllerRevision>(ns, null, CancellationToken.None)).Items;
        Assert.Equal([2L, 3L], revisions.Select(r => r.Revision ?? 0).Order());
    }

    private static void Allow(HashSet<string> allowed, params string[] names)
    {
        lock (allowed)
        {
            allowed.UnionWith(names);
        }
    }

    /// <summary>Waits until the set's status, written for its current generation, shows these counts.</summary>
    private static Task<V1StatefulSetStatus> SettledAsync(IApiClient client, string ns, int replicas, int ready) =>
        Eventually.ValueAsync(
            async () => await client.GetAsync<V1StatefulSet>(ns, "web", CancellationToken.None) is { Status: { } s } set
                && s.ObservedGeneration == set.Metadata.Generation && s.Replicas == replicas && s.ReadyReplicas == ready
                && (await Workloads.ActivePodsAsync(client, ns)).Count == replicas
                    ? s
                    : null,
            $"{replicas} pods, {ready} ready");

    private static async Task<List<string>> PodNamesAsync(IApiClient client, string ns) =>
        [.. (await Workloads.ActivePodsAsync(client, ns)).Select(p => p.Metadata.Name).Order(StringComparer.Ordinal)];

    private static async Task<List<string>> ImagesAsync(IApiClient client, string ns) =>
        [.. (await Workloads.ActivePodsAsync(client, ns)).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).Select(p => p.Spec.Containers[0].Image)];

    /// <summary>The pods named by the set's events of <paramref name="reason"/>, in the order the API server stored them.</summary>
    private static async Task<List<string>> EventPodsAsync(IApiClient client, string ns, string reason) =>
        [.. (await client.ListAsync<Corev1Event>(ns, null, CancellationToken.None)).Items
            .Where(e => e.Reason == reason && e.InvolvedObject.Kind == "StatefulSet")
            .OrderBy(e => long.Parse(e.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture))
            .Select(e => e.Message.Split(' ')[2])];
}
