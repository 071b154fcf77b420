using Berth.Client;
using Berth.Controllers.ReplicaSets;
using Berth.Controllers.Scheduling;
using Berth.Controllers.Tests.Integration;
using Berth.Controllers.Tests.ReplicaSets;
using k8s.Models;

namespace Berth.Controllers.Tests.Scheduling;

/// <summary>Nodes are cluster-wide: each test creates its own and deletes them afterwards, so the messages count only those.</summary>
public sealed class SchedulerIntegrationTests : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private readonly ControlPlaneFixture _fixture;
    private readonly List<string> _nodes = [];

    public SchedulerIntegrationTests(ControlPlaneFixture fixture) => _fixture = fixture;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            try
            {
                await _fixture.Client.DeleteAsync<V1Node>(null, node, null, CancellationToken.None);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
            }
        }
    }

    [Fact]
    public async Task Schedule_NotReadyAndUnschedulableNodes_BindsToTheReadyNode()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await CreateNodeAsync(ns + "-a", ready: false);
        await CreateNodeAsync(ns + "-b", ready: true, unschedulable: true);
        await CreateNodeAsync(ns + "-c", ready: true);
        await using var manager = await _fixture.StartAsync(null, m => new Scheduler(m));

        await client.CreateAsync(Pod(ns, "p"), CancellationToken.None);

        var pod = await Eventually.ValueAsync(async () => await client.GetAsync<V1Pod>(ns, "p", CancellationToken.None) is { Spec.NodeName: { Length: > 0 } } p ? p : null, "binding");
        Assert.Equal(ns + "-c", pod.Spec.NodeName);
        Assert.Contains(pod.Status.Conditions, c => c.Type == "PodScheduled" && c.Status == "True");
    }

    [Fact]
    public async Task Schedule_ReplicaSetOfFourOnTwoNodes_SpreadsTwoAndTwo()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await CreateNodeAsync(ns + "-a", ready: true);
        await CreateNodeAsync(ns + "-b", ready: true);
        await using var manager = await _fixture.StartAsync(null, m => new ReplicaSetController(m), m => new Scheduler(m));
        var rs = Workloads.ReplicaSet(ns, "web", 4);
        rs.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["pool"] = ns };

        await client.CreateAsync(rs, CancellationToken.None);

        await Eventually.TrueAsync(
            async () => await Workloads.ActivePodsAsync(client, ns) is { Count: 4 } pods && pods.All(p => !string.IsNullOrEmpty(p.Spec.NodeName)),
            "4 bound pods");
        var perNode = (await Workloads.ActivePodsAsync(client, ns)).GroupBy(p => p.Spec.NodeName).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2, perNode[ns + "-a"]);
        Assert.Equal(2, perNode[ns + "-b"]);
    }

    [Fact]
    public async Task Schedule_NodeSelector_BindsOnlyToMatchingNode()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await CreateNodeAsync(ns + "-hdd", ready: true, new Dictionary<string, string> { ["disk"] = "hdd" });
        await CreateNodeAsync(ns + "-ssd", ready: true, new Dictionary<string, string> { ["disk"] = "ssd" });
        await using var manager = await _fixture.StartAsync(null, m => new Scheduler(m));

        for (var i = 0; i < 3; i++)
        {
            await client.CreateAsync(Pod(ns, "p" + i, new Dictionary<string, string> { ["disk"] = "ssd" }), CancellationToken.None);
        }

        await Eventually.TrueAsync(async () => (await Workloads.ActivePodsAsync(client, ns)).All(p => !string.IsNullOrEmpty(p.Spec.NodeName)), "3 bound pods");
        Assert.All(await Workloads.ActivePodsAsync(client, ns), p => Assert.Equal(ns + "-ssd", p.Spec.NodeName));
    }

    [Fact]
    public async Task Schedule_NoMatchingNode_ReportsUnschedulableThenBindsWhenOneAppears()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await CreateNodeAsync(ns + "-a", ready: true);
        await using var manager = await _fixture.StartAsync(null, m => new Scheduler(m));

        await client.CreateAsync(Pod(ns, "p", new Dictionary<string, string> { ["zone"] = "z1" }), CancellationToken.None);

        const string Message = "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.";
        var condition = await Eventually.ValueAsync(
            async () => (await client.GetAsync<V1Pod>(ns, "p", CancellationToken.None))?.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled"),
            "PodScheduled condition");
        Assert.Equal("False", condition.Status);
        Assert.Equal("Unschedulable", condition.Reason);
        Assert.Equal(Message, condition.Message);
        var ev = await Eventually.ValueAsync(
            async () => (await client.ListAsync<Corev1Event>(ns, null, CancellationToken.None)).Items.FirstOrDefault(e => e.Reason == "FailedScheduling"),
            "FailedScheduling event");
        Assert.Equal("Warning", ev.Type);
        Assert.Equal("default-scheduler", ev.Source.Component);
        Assert.Equal("Pod", ev.InvolvedObject.Kind);
        Assert.Equal("p", ev.InvolvedObject.Name);
        Assert.Equal(Message, ev.Message);

        await CreateNodeAsync(ns + "-z1", ready: true, new Dictionary<string, string> { ["zone"] = "z1" });

        var pod = await Eventually.ValueAsync(async () => await client.GetAsync<V1Pod>(ns, "p", CancellationToken.None) is { Spec.NodeName: { Length: > 0 } } p ? p : null, "binding");
        Assert.Equal(ns + "-z1", pod.Spec.NodeName);
        Assert.Contains(pod.Status.Conditions, c => c.Type == "PodScheduled" && c.Status == "True");
    }

    /// <summary>A pod confined to this test's nodes (label pool=&lt;ns&gt;) plus <paramref name="selector"/>.</summary>
    private static V1Pod Pod(string ns, string name, Dictionary<string, string>? selector = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "main", Image = "nginx:1" }],
            NodeSelector = new Dictionary<string, string>(selector ?? []) { ["pool"] = ns },
        },
    };

    private async Task CreateNodeAsync(string name, bool ready, Dictionary<string, string>? labels = null, bool unschedulable = false)
    {
        var pool = name[..name.LastIndexOf('-')];
        var node = await _fixture.Client.CreateAsync(
            new V1Node
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string>(labels ?? []) { ["pool"] = pool } },
                Spec = new V1NodeSpec { Unschedulable = unschedulable },
            },
            CancellationToken.None);
        _nodes.Add(name);
        node.Status = new V1NodeStatus
        {
            Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "False", Reason = ready ? "KubeletReady" : "KubeletNotReady", LastHeartbeatTime = DateTime.UtcNow, LastTransitionTime = DateTime.UtcNow }],
        };
        await _fixture.Client.UpdateStatusAsync(node, CancellationToken.None);
    }
}
