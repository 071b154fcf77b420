using Berth.Client;
using Berth.Controllers.EndpointSlices;
using Berth.Controllers.Nodes;
using Berth.Controllers.Tests.EndpointSlices;
using Berth.Controllers.Tests.Integration;
using k8s.Models;

namespace Berth.Controllers.Tests.Nodes;

/// <summary>
/// The test plays the node agent: it registers a Node, renews its Lease and posts pod status, then stops and
/// resumes. The controller runs with a 2 s grace period checked every 200 ms.
/// </summary>
public sealed class NodeLifecycleControllerIntegrationTests : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private static readonly ControllerOptions _options = new()
    {
        NodeMonitorGracePeriod = TimeSpan.FromSeconds(2),
        NodeMonitorPeriod = TimeSpan.FromMilliseconds(200),
        NodeStartupGracePeriod = TimeSpan.FromSeconds(2),
    };

    private readonly ControlPlaneFixture _fixture;
    private readonly List<string> _nodes = [];

    public NodeLifecycleControllerIntegrationTests(ControlPlaneFixture fixture) => _fixture = fixture;

    private IApiClient Client => _fixture.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            try
            {
                await Client.DeleteAsync<V1Node>(null, node, null, CancellationToken.None);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
            }
        }
    }

    [Fact]
    public async Task Monitor_LeaseStopsBeingRenewed_NodeUnknownTaintedAndEndpointsNotReady_ThenRecovers()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var node = await RegisterNodeAsync(ns);
        await using var manager = await _fixture.StartAsync(_options, m => new NodeLifecycleController(m), m => new EndpointSliceController(m));
        await RunPodAsync(ns, node, "web-1", "127.244.9.11");
        await Client.CreateAsync(Services.WithSelector(ns, "web"), CancellationToken.None);
        using (var agent = new CancellationTokenSource())
        {
            var renewing = RenewLeaseAsync(node, agent.Token);
            await WaitForEndpointAsync(ns, ready: true);
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal("True", Ready(await GetNodeAsync(node))?.Status);

            await agent.CancelAsync();
            await renewing;
        }

        var unknown = await Eventually.ValueAsync(async () => await GetNodeAsync(node) is { } n && HasTaint(n, "NoSchedule") && HasTaint(n, "NoExecute") ? n : null, "unreachable taints");
        var ready = Ready(unknown)!;
        Assert.Equal("Unknown", ready.Status);
        Assert.Equal("NodeStatusUnknown", ready.Reason);
        Assert.Equal("Kubelet stopped posting node status.", ready.Message);
        Assert.All(
            unknown.Status.Conditions.Where(c => c.Type is "MemoryPressure" or "DiskPressure" or "PIDPressure"),
            c => Assert.Equal("Unknown", c.Status));
        Assert.NotNull(unknown.Spec.Taints.Single(t => t.Effect == "NoExecute").TimeAdded);
        await WaitForEndpointAsync(ns, ready: false);
        var pod = (await Client.GetAsync<V1Pod>(ns, "web-1", CancellationToken.None))!;
        Assert.Equal("False", pod.Status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Null(pod.Metadata.DeletionTimestamp);

        using (var agent = new CancellationTokenSource())
        {
            var renewing = RenewLeaseAsync(node, agent.Token);
            await PostReadyAsync(node);

            await Eventually.TrueAsync(async () => await GetNodeAsync(node) is { } n && (n.Spec?.Taints ?? []).Count == 0, "taints removed");
            Assert.Equal("True", Ready(await GetNodeAsync(node))?.Status);
            await agent.CancelAsync();
            await renewing;
        }
    }

    [Fact]
    public async Task Evict_UnreachableNode_DeletesPodsWhoseTolerationRanOut()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var node = await RegisterNodeAsync(ns);
        await using var manager = await _fixture.StartAsync(_options, m => new NodeLifecycleController(m));
        var brief = await RunPodAsync(ns, node, "brief", "127.244.9.21", new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 1 });
        var forever = await RunPodAsync(ns, node, "forever", "127.244.9.22", new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute" });
        var standard = await RunPodAsync(ns, node, "standard", "127.244.9.23");

        await Eventually.TrueAsync(async () => await GetNodeAsync(node) is { } n && HasTaint(n, "NoExecute"), "unreachable:NoExecute");

        await Eventually.TrueAsync(async () => await Client.GetAsync<V1Pod>(ns, brief.Metadata.Name, CancellationToken.None) is null or { Metadata.DeletionTimestamp: not null }, "eviction of the pod tolerating 1 s");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Null((await Client.GetAsync<V1Pod>(ns, forever.Metadata.Name, CancellationToken.None))!.Metadata.DeletionTimestamp);
        Assert.Null((await Client.GetAsync<V1Pod>(ns, standard.Metadata.Name, CancellationToken.None))!.Metadata.DeletionTimestamp);
        var ev = (await Client.ListAsync<Corev1Event>(ns, null, CancellationToken.None)).Items.Single(e => e.Reason == "TaintManagerEviction");
        Assert.Equal("brief", ev.InvolvedObject.Name);
    }

    private static bool HasTaint(V1Node node, string effect) =>
        node.Spec?.Taints?.Any(t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == effect) == true;

    private static V1NodeCondition? Ready(V1Node? node) => node?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    private Task<V1Node?> GetNodeAsync(string name) => Client.GetAsync<V1Node>(null, name, CancellationToken.None);

    private async Task<string> RegisterNodeAsync(string ns)
    {
        var name = ns + "-node";
        var node = await Client.CreateAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name } }, CancellationToken.None);
        _nodes.Add(name);
        await PostReadyAsync(name);
        return name;
    }

    /// <summary>What the agent posts: Ready=True with a fresh heartbeat.</summary>
    private async Task PostReadyAsync(string name)
    {
        for (var attempt = 0; ; attempt++)
        {
            var node = (await GetNodeAsync(name))!;
            var now = DateTime.UtcNow;
            node.Status ??= new V1NodeStatus();
            node.Status.Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady", Message = "kubelet is posting ready status", LastHeartbeatTime = now, LastTransitionTime = now }];
            try
            {
                await Client.UpdateStatusAsync(node, CancellationToken.None);
                return;
            }
            catch (ConflictException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>Renews the node's Lease every 300 ms until cancelled.</summary>
    private async Task RenewLeaseAsync(string node, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var lease = await Client.GetAsync<V1Lease>("kube-node-lease", node, CancellationToken.None);
            if (lease is null)
            {
                await Client.CreateAsync(
                    new V1Lease
                    {
                        Metadata = new V1ObjectMeta { Name = node, NamespaceProperty = "kube-node-lease" },
                        Spec = new V1LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = 40, RenewTime = DateTime.UtcNow },
                    },
                    CancellationToken.None);
            }
            else
            {
                lease.Spec.RenewTime = DateTime.UtcNow;
                await Client.UpdateAsync(lease, CancellationToken.None);
            }

            try
            {
                await Task.Delay(300, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<V1Pod> RunPodAsync(string ns, string node, string name, string ip, params V1Toleration[] tolerations)
    {
        var pod = await Client.CreateAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = FakeKubelet.WebLabels },
                Spec = new V1PodSpec
                {
                    NodeName = node,
                    Containers = [new V1Container { Name = "main", Image = "busybox" }],
                    Tolerations = tolerations.Length == 0 ? null : tolerations,
                },
            },
            CancellationToken.None);
        pod.Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = ip,
            PodIPs = [new V1PodIP { Ip = ip }],
            Conditions = [new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = DateTime.UtcNow }],
        };
        return await Client.UpdateStatusAsync(pod, CancellationToken.None);
    }

    private Task WaitForEndpointAsync(string ns, bool ready) =>
        Eventually.TrueAsync(
            async () => Services.Endpoints(await Services.SlicesAsync(Client, ns, "web")).TryGetValue("127.244.9.11", out var e) && e.Conditions?.Ready == ready,
            "endpoint ready=" + ready);
}
