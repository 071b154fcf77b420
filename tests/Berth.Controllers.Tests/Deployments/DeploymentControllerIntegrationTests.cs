using System.Diagnostics;
using Berth.Controllers.Deployments;
using Berth.Controllers.ReplicaSets;
using Berth.Controllers.Tests.Integration;
using Berth.Controllers.Tests.ReplicaSets;
using k8s.Models;

namespace Berth.Controllers.Tests.Deployments;

public sealed class DeploymentControllerIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private const string HashLabel = "pod-template-hash";
    private const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    private readonly ControlPlaneFixture _fixture;

    public DeploymentControllerIntegrationTests(ControlPlaneFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Sync_NewDeployment_CreatesHashedReplicaSetAndPodsAndCompletes()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await StartAsync();
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a" }.Start();

        var deployment = await client.CreateAsync(Workloads.Deployment(ns, "web", 3), CancellationToken.None);

        var status = await WaitCompleteAsync(ns, "web", 3);
        var rs = Assert.Single(await ReplicaSetsAsync(ns));
        var hash = rs.Metadata.Labels[HashLabel];
        Assert.Equal("web-" + hash, rs.Metadata.Name);
        Assert.Equal(hash, rs.Spec.Selector.MatchLabels[HashLabel]);
        Assert.Equal(deployment.Metadata.Uid, Assert.Single(rs.Metadata.OwnerReferences).Uid);
        Assert.Equal("1", rs.Metadata.Annotations[RevisionAnnotation]);
        var pods = await Workloads.ActivePodsAsync(client, ns);
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.Equal(hash, p.Metadata.Labels[HashLabel]));
        Assert.Equal(3, status.ReadyReplicas);
        Assert.Equal("1", (await client.GetAsync<V1Deployment>(ns, "web", CancellationToken.None))!.Metadata.Annotations[RevisionAnnotation]);
    }

    [Fact]
    public async Task Sync_ImageChanged_RollsToNewReplicaSetNeverBelowMinAvailable()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await StartAsync();
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a", ReadyDelay = TimeSpan.FromMilliseconds(300) }.Start();
        var strategy = new V1DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "1", MaxUnavailable = "1" },
        };
        await client.CreateAsync(Workloads.Deployment(ns, "web", 4, "nginx:1", strategy), CancellationToken.None);
        await WaitCompleteAsync(ns, "web", 4);
        var v1 = Assert.Single(await ReplicaSetsAsync(ns)).Metadata.Name;
        using var stop = new CancellationTokenSource();
        var minReady = Task.Run(() => SampleMinReadyAsync(ns, stop.Token));

        await SetImageAsync(ns, "web", "nginx:2");

        var status = await WaitCompleteAsync(ns, "web", 4, generation: 2);
        await stop.CancelAsync();
        var (min, samples) = await minReady;
        Assert.True(samples > 10, "too few samples: " + samples);
        Assert.True(min >= 3, "ready pods fell to " + min);
        Assert.Equal(4, status.UpdatedReplicas);
        Assert.Equal(4, status.AvailableReplicas);
        var sets = await ReplicaSetsAsync(ns);
        Assert.Equal(2, sets.Count);
        Assert.Equal(0, sets.Single(rs => rs.Metadata.Name == v1).Spec.Replicas);
        var v2 = sets.Single(rs => rs.Metadata.Name != v1);
        Assert.Equal(4, v2.Spec.Replicas);
        Assert.Equal("2", v2.Metadata.Annotations[RevisionAnnotation]);
        Assert.All(await Workloads.ActivePodsAsync(client, ns), p => Assert.Equal("nginx:2", p.Spec.Containers[0].Image));
    }

    [Fact]
    public async Task Sync_RecreateStrategy_RemovesOldPodsBeforeCreatingNewOnes()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await StartAsync();
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a" }.Start();
        await client.CreateAsync(Workloads.Deployment(ns, "web", 2, "nginx:1", new V1DeploymentStrategy { Type = "Recreate" }), CancellationToken.None);
        await WaitCompleteAsync(ns, "web", 2);
        using var stop = new CancellationTokenSource();
        var mixed = Task.Run(async () =>
        {
            var seenMixed = false;
            while (!stop.IsCancellationRequested)
            {
                var pods = (await client.ListAsync<V1Pod>(ns, null, CancellationToken.None)).Items;
                seenMixed |= pods.Select(p => p.Spec.Containers[0].Image).Distinct().Count() > 1;
                await Task.Delay(10);
            }

            return seenMixed;
        });

        await SetImageAsync(ns, "web", "nginx:2");

        await WaitCompleteAsync(ns, "web", 2, generation: 2);
        await stop.CancelAsync();
        Assert.False(await mixed, "old and new pods existed at the same time");
        Assert.All(await Workloads.ActivePodsAsync(client, ns), p => Assert.Equal("nginx:2", p.Spec.Containers[0].Image));
    }

    [Fact]
    public async Task Sync_RevisionHistoryLimitOne_DeletesOlderReplicaSets()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await StartAsync();
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a" }.Start();
        var deployment = Workloads.Deployment(ns, "web", 1);
        deployment.Spec.RevisionHistoryLimit = 1;
        await client.CreateAsync(deployment, CancellationToken.None);
        await WaitCompleteAsync(ns, "web", 1);

        for (var version = 2; version <= 4; version++)
        {
            await SetImageAsync(ns, "web", "nginx:" + version);
            await WaitCompleteAsync(ns, "web", 1, generation: version);
        }

        await Eventually.TrueAsync(async () => (await ReplicaSetsAsync(ns)).Count == 2, "two ReplicaSets left");
        var revisions = (await ReplicaSetsAsync(ns)).Select(rs => rs.Metadata.Annotations[RevisionAnnotation]).Order(StringComparer.Ordinal);
        Assert.Equal(["3", "4"], revisions);
    }

    [Fact]
    public async Task Sync_TemplateSetBack_ScalesOldReplicaSetUpWithNextRevision()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await StartAsync();
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a" }.Start();
        await client.CreateAsync(Workloads.Deployment(ns, "web", 2), CancellationToken.None);
        await WaitCompleteAsync(ns, "web", 2);
        var first = Assert.Single(await ReplicaSetsAsync(ns)).Metadata.Name;
        await SetImageAsync(ns, "web", "nginx:2");
        await WaitCompleteAsync(ns, "web", 2, generation: 2);

        await SetImageAsync(ns, "web", "nginx:1");

        await WaitCompleteAsync(ns, "web", 2, generation: 3);
        var sets = await ReplicaSetsAsync(ns);
        Assert.Equal(2, sets.Count);
        var back = sets.Single(rs => rs.Metadata.Name == first);
        Assert.Equal(2, back.Spec.Replicas);
        Assert.Equal("3", back.Metadata.Annotations[RevisionAnnotation]);
        Assert.Equal("1", back.Metadata.Annotations["deployment.kubernetes.io/revision-history"]);
        Assert.Equal(0, sets.Single(rs => rs.Metadata.Name != first).Spec.Replicas);
        Assert.Equal("3", (await client.GetAsync<V1Deployment>(ns, "web", CancellationToken.None))!.Metadata.Annotations[RevisionAnnotation]);
    }

    [Fact]
    public async Task Kubectl_RolloutStatusRestartUndo_WorkEndToEnd()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await StartAsync();
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a" }.Start();
        await client.CreateAsync(Workloads.Deployment(ns, "web", 2), CancellationToken.None);
        await KubectlAsync(ns, "rollout", "status", "deployment/web", "--timeout=30s");
        var first = Assert.Single(await ReplicaSetsAsync(ns)).Metadata.Name;

        await KubectlAsync(ns, "rollout", "restart", "deployment/web");
        await KubectlAsync(ns, "rollout", "status", "deployment/web", "--timeout=30s");

        var restarted = await client.GetAsync<V1Deployment>(ns, "web", CancellationToken.None);
        Assert.Contains("kubectl.kubernetes.io/restartedAt", restarted!.Spec.Template.Metadata.Annotations.Keys);
        Assert.Equal(2, (await ReplicaSetsAsync(ns)).Count);
        Assert.Equal(2, (await ReplicaSetsAsync(ns)).Single(rs => rs.Metadata.Name != first).Spec.Replicas);

        await KubectlAsync(ns, "rollout", "undo", "deployment/web");
        await KubectlAsync(ns, "rollout", "status", "deployment/web", "--timeout=30s");

        var sets = await ReplicaSetsAsync(ns);
        Assert.Equal(2, sets.Single(rs => rs.Metadata.Name == first).Spec.Replicas);
        Assert.Equal(0, sets.Single(rs => rs.Metadata.Name != first).Spec.Replicas);
        var history = await KubectlAsync(ns, "rollout", "history", "deployment/web");
        Assert.Contains("3", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_ScaledUpThenDown_RecordsScalingReplicaSetEventsFromAndTo()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await StartAsync();
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a" }.Start();
        var deployment = await client.CreateAsync(Workloads.Deployment(ns, "web", 2), CancellationToken.None);
        await WaitCompleteAsync(ns, "web", 2);
        var rs = Assert.Single(await ReplicaSetsAsync(ns)).Metadata.Name;

        await ScaleAsync(ns, "web", 3);
        await WaitCompleteAsync(ns, "web", 3, generation: 2);
        await ScaleAsync(ns, "web", 1);
        await WaitCompleteAsync(ns, "web", 1, generation: 3);

        var expected = new[]
        {
            $"Scaled up replica set {rs} from 0 to 2",
            $"Scaled up replica set {rs} from 2 to 3",
            $"Scaled down replica set {rs} from 3 to 1",
        };
        var events = await Eventually.ValueAsync(
            async () => (await client.ListAsync<Corev1Event>(ns, null, CancellationToken.None)).Items
                .Where(e => e.InvolvedObject.Kind == "Deployment" && e.Reason == "ScalingReplicaSet").ToList() is { Count: >= 3 } e ? e : null,
            "3 ScalingReplicaSet events");
        Assert.Equal(expected.Order(StringComparer.Ordinal), events.Select(e => e.Message).Order(StringComparer.Ordinal));
        Assert.All(events, e =>
        {
            Assert.Equal("Normal", e.Type);
            Assert.Equal(deployment.Metadata.Uid, e.InvolvedObject.Uid);
            Assert.Equal("deployment-controller", e.Source.Component);
        });
    }

    private Task ScaleAsync(string ns, string name, int replicas) =>
        _fixture.Client.PatchAsync<V1Deployment>(ns, name, V1Patch.PatchType.MergePatch, "{\"spec\":{\"replicas\":" + replicas + "}}", CancellationToken.None);

    private Task<ControllerManager> StartAsync() =>
        _fixture.StartAsync(null, m => new ReplicaSetController(m), m => new DeploymentController(m));

    private async Task<List<V1ReplicaSet>> ReplicaSetsAsync(string ns) =>
        [.. (await _fixture.Client.ListAsync<V1ReplicaSet>(ns, null, CancellationToken.None)).Items];

    private Task SetImageAsync(string ns, string name, string image) =>
        _fixture.Client.PatchAsync<V1Deployment>(
            ns,
            name,
            V1Patch.PatchType.StrategicMergePatch,
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"" + image + "\"}]}}}}",
            CancellationToken.None);

    /// <summary>Waits for what <c>kubectl rollout status</c> waits for: generation observed, every replica updated and available, none old.</summary>
    private Task<V1DeploymentStatus> WaitCompleteAsync(string ns, string name, int replicas, long generation = 1) =>
        Eventually.ValueAsync(
            async () => (await _fixture.Client.GetAsync<V1Deployment>(ns, name, CancellationToken.None))?.Status is { } s
                && s.ObservedGeneration >= generation
                && s.UpdatedReplicas == replicas
                && s.Replicas == replicas
                && s.AvailableReplicas == replicas
                    ? s
                    : null,
            $"deployment {name} complete at generation {generation}",
            TimeSpan.FromSeconds(30));

    /// <summary>The fewest Ready pods that are not being deleted, sampled until cancelled, and the number of samples.</summary>
    private async Task<(int Min, int Samples)> SampleMinReadyAsync(string ns, CancellationToken cancellationToken)
    {
        var min = int.MaxValue;
        var samples = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var pods = await Workloads.ActivePodsAsync(_fixture.Client, ns);
            min = Math.Min(min, pods.Count(Workloads.IsReady));
            samples++;
            await Task.Delay(10, CancellationToken.None);
        }

        return (min, samples);
    }

    private async Task<string> KubectlAsync(string ns, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["KUBECONFIG"] = _fixture.Host.KubeconfigPath;
        foreach (var arg in args.Concat(["-n", ns]))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {await stderr}{await stdout}");
        return await stdout;
    }
}
