using Berth.ApiServer.Tests.Infrastructure;
using Berth.Controllers.ReplicaSets;
using Berth.Controllers.Tests.Integration;
using k8s.Models;

namespace Berth.Controllers.Tests.ReplicaSets;

/// <summary>
/// ReplicationControllers run by the ReplicaSet controller's code (<see cref="ReplicaSetController.ForReplicationControllers"/>)
/// against the real API server, driven with the installed kubectl; <see cref="FakeKubelet"/> plays the node agent.
/// </summary>
public sealed class ReplicationControllerIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private const string Manifest = """
        apiVersion: v1
        kind: ReplicationController
        metadata:
          name: web
        spec:
          replicas: 3
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: main
                image: nginx:1
        """;

    private readonly ControlPlaneFixture _fixture;
    private readonly Kubectl _kubectl;

    public ReplicationControllerIntegrationTests(ControlPlaneFixture fixture)
    {
        _fixture = fixture;
        _kubectl = new Kubectl(fixture.Host.KubeconfigPath, fixture.DataDir);
    }

    [Fact]
    public async Task Sync_CreatedWithKubectl_OwnsItsPodsAndKubectlScaleRemovesSome()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, ReplicaSetController.ForReplicationControllers);
        await using var kubelet = new FakeKubelet(client, ns) { BindTo = "node-a" }.Start();
        var file = Path.Combine(_fixture.DataDir, ns + "-rc.yaml");
        await File.WriteAllTextAsync(file, Manifest);

        await _kubectl.OkAsync("create", "-n", ns, "-f", file);

        var rc = await Eventually.ValueAsync(
            async () => await _fixture.Client.GetAsync<V1ReplicationController>(ns, "web", CancellationToken.None) is { Status: { ReadyReplicas: 3, AvailableReplicas: 3, FullyLabeledReplicas: 3 } } r ? r : null,
            "3 ready replicas");
        var pods = await Workloads.ActivePodsAsync(client, ns);
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p =>
        {
            var owner = Assert.Single(p.Metadata.OwnerReferences);
            Assert.Equal(("v1", "ReplicationController", rc.Metadata.Uid, true), (owner.ApiVersion, owner.Kind, owner.Uid, owner.Controller ?? false));
            Assert.StartsWith("web-", p.Metadata.Name, StringComparison.Ordinal);
        });
        Assert.Matches(@"web\s+3\s+3\s+3\s+", await _kubectl.OkAsync("get", "-n", ns, "rc", "web"));

        var scaled = await _kubectl.OkAsync("scale", "-n", ns, "rc/web", "--replicas=1");

        Assert.Equal("replicationcontroller/web scaled", scaled.Trim());
        await Eventually.TrueAsync(
            async () => (await Workloads.ActivePodsAsync(client, ns)).Count == 1
                && (await client.GetAsync<V1ReplicationController>(ns, "web", CancellationToken.None))?.Status?.Replicas == 1,
            "one pod left");
        var events = (await client.ListAsync<Corev1Event>(ns, null, CancellationToken.None)).Items;
        Assert.Equal(2, events.Count(e => e.Reason == "SuccessfulDelete" && e.InvolvedObject.Kind == "ReplicationController" && e.Source?.Component == ReplicaSetController.ReplicationComponent));
        Assert.Equal(3, events.Count(e => e.Reason == "SuccessfulCreate" && e.InvolvedObject.Name == "web" && e.InvolvedObject.ApiVersion == "v1"));
    }

    [Fact]
    public async Task Sync_OrphanMatchingTheSelector_IsAdoptedAndADeletedPodReplaced()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, ReplicaSetController.ForReplicationControllers);
        await client.CreateAsync(
            new V1Pod { Metadata = new V1ObjectMeta { Name = "orphan", NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = "web" } }, Spec = Workloads.Template("web").Spec },
            CancellationToken.None);

        var rc = await client.CreateAsync(
            new V1ReplicationController { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = ns }, Spec = new V1ReplicationControllerSpec { Replicas = 2, Template = Workloads.Template("web") } },
            CancellationToken.None);

        await Eventually.TrueAsync(
            async () => (await client.GetAsync<V1Pod>(ns, "orphan", CancellationToken.None))?.Metadata.OwnerReferences?.Any(o => o.Uid == rc.Metadata.Uid && o.Kind == "ReplicationController") == true
                && (await Workloads.ActivePodsAsync(client, ns)).Count == 2,
            "the orphan adopted beside one new pod");
        await client.DeleteAsync<V1Pod>(ns, "orphan", null, CancellationToken.None);
        await Eventually.TrueAsync(
            async () => await Workloads.ActivePodsAsync(client, ns) is { Count: 2 } pods && pods.All(p => p.Metadata.Name != "orphan"),
            "a replacement pod");
    }
}
