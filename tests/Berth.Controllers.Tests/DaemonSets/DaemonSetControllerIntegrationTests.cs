using Berth.Controllers.DaemonSets;
using Berth.Controllers.Scheduling;
using Berth.Controllers.Tests.Integration;
using Berth.Controllers.Tests.ReplicaSets;
using k8s.Models;

namespace Berth.Controllers.Tests.DaemonSets;

/// <summary>The DaemonSet controller with the scheduler against the real server; each test's nodes carry its namespace as <c>pool</c> label, and its DaemonSets select that pool.</summary>
public sealed class DaemonSetControllerIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private readonly ControlPlaneFixture _fixture;

    public DaemonSetControllerIntegrationTests(ControlPlaneFixture fixture) => _fixture = fixture;

    private static V1DaemonSet DaemonSet(string ns, string image = "agent:1") => new()
    {
        Metadata = new V1ObjectMeta { Name = "agent", NamespaceProperty = ns },
        Spec = new V1DaemonSetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "agent" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "agent" } },
                Spec = new V1PodSpec { NodeSelector = new Dictionary<string, string> { ["pool"] = ns }, Containers = [new V1Container { Name = "main", Image = image }] },
            },
        },
    };

    private async Task CreateNodeAsync(string name, string pool, bool unschedulable = false, V1Taint? taint = null)
    {
        var node = await _fixture.Client.CreateAsync(
            new V1Node
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["pool"] = pool } },
                Spec = new V1NodeSpec { Unschedulable = unschedulable, Taints = taint is null ? null : [taint] },
            },
            CancellationToken.None);
        node.Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady", LastHeartbeatTime = DateTime.UtcNow, LastTransitionTime = DateTime.UtcNow }] };
        await _fixture.Client.UpdateStatusAsync(node, CancellationToken.None);
    }

    private async Task<Dictionary<string, V1Pod>> PodsByNodeAsync(string ns) =>
        (await Workloads.ActivePodsAsync(_fixture.Client, ns)).Where(p => !string.IsNullOrEmpty(p.Spec.NodeName)).GroupBy(p => p.Spec.NodeName).ToDictionary(g => g.Key, g => g.Single());

    [Fact]
    public async Task Sync_OnePodPerEligibleNode_BoundByTheSchedulerAndFollowsANewNode()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await CreateNodeAsync(ns + "-a", ns);
        await CreateNodeAsync(ns + "-cordoned", ns, unschedulable: true);
        await CreateNodeAsync(ns + "-tainted", ns, taint: new V1Taint { Key = "dedicated", Value = "db", Effect = "NoSchedule" });
        await CreateNodeAsync(ns + "-elsewhere", "other-" + ns);
        await using var manager = await _fixture.StartAsync(null, m => new DaemonSetController(m), m => new Scheduler(m));
        await using var kubelet = new FakeKubelet(client, ns).Start();

        await client.CreateAsync(DaemonSet(ns), CancellationToken.None);

        await Eventually.TrueAsync(async () => (await PodsByNodeAsync(ns)).Keys.Order(StringComparer.Ordinal).SequenceEqual([ns + "-a", ns + "-cordoned"]), "a pod on each eligible node");
        await CreateNodeAsync(ns + "-new", ns);
        await Eventually.TrueAsync(async () => (await PodsByNodeAsync(ns)).ContainsKey(ns + "-new"), "a pod on the new node");
        var status = await Eventually.ValueAsync(async () => (await client.GetAsync<V1DaemonSet>(ns, "agent", CancellationToken.None))?.Status is { NumberReady: 3 } s ? s : null, "3 ready");
        Assert.Equal((3, 3, 0), (status.DesiredNumberScheduled, status.CurrentNumberScheduled, status.NumberMisscheduled));
        Assert.Equal((3, 3), (status.NumberAvailable, status.UpdatedNumberScheduled));
        Assert.Equal(3, (await Workloads.ActivePodsAsync(client, ns)).Count);
    }

    [Fact]
    public async Task Sync_NewImage_RollsEveryNodeToIt()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await CreateNodeAsync(ns + "-a", ns);
        await CreateNodeAsync(ns + "-b", ns);
        await using var manager = await _fixture.StartAsync(null, m => new DaemonSetController(m), m => new Scheduler(m));
        await using var kubelet = new FakeKubelet(client, ns).Start();
        await client.CreateAsync(DaemonSet(ns), CancellationToken.None);
        await Eventually.TrueAsync(async () => (await client.GetAsync<V1DaemonSet>(ns, "agent", CancellationToken.None))?.Status?.NumberReady == 2, "2 ready");

        await client.PatchAsync<V1DaemonSet>(ns, "agent", V1Patch.PatchType.MergePatch, """{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"agent:2"}]}}}}""", CancellationToken.None);

        await Eventually.TrueAsync(
            async () => await PodsByNodeAsync(ns) is { Count: 2 } pods && pods.Values.All(p => p.Spec.Containers[0].Image == "agent:2" && Workloads.IsReady(p)),
            "both nodes on agent:2");
        var status = await Eventually.ValueAsync(async () => (await client.GetAsync<V1DaemonSet>(ns, "agent", CancellationToken.None))?.Status is { UpdatedNumberScheduled: 2, NumberAvailable: 2 } s ? s : null, "status updated");
        Assert.Equal(2, status.DesiredNumberScheduled);
    }
}
