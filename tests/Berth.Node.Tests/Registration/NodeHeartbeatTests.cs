using Berth.Client;
using Berth.Node.Registration;
using k8s.Models;

namespace Berth.Node.Tests.Registration;

public sealed class NodeHeartbeatTests : IClassFixture<RegistrationFixture>
{
    private readonly RegistrationFixture _fixture;

    public NodeHeartbeatTests(RegistrationFixture fixture) => _fixture = fixture;

    private IApiClient Client => _fixture.Client;

    [Fact]
    public async Task Start_RenewsTheLeaseEveryQuarterOfItsDuration()
    {
        var options = _fixture.NewAgent(TimeSpan.FromSeconds(4));
        var node = await NodeRegistration.RegisterAsync(Client, options, 10250, CancellationToken.None);
        await using var heartbeat = new NodeHeartbeat(Client, options, 10250);

        await heartbeat.StartAsync(CancellationToken.None);

        var lease = await Eventually.ValueAsync(() => Client.GetAsync<V1Lease>("kube-node-lease", options.NodeName, CancellationToken.None), "lease");
        Assert.Equal(options.NodeName, lease.Spec.HolderIdentity);
        Assert.Equal(4, lease.Spec.LeaseDurationSeconds);
        var owner = await Eventually.ValueAsync(
            async () => (await Client.GetAsync<V1Lease>("kube-node-lease", options.NodeName, CancellationToken.None))?.Metadata.OwnerReferences?.SingleOrDefault(),
            "owner reference");
        Assert.Equal(("v1", "Node", options.NodeName, node.Metadata.Uid), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid));
        var first = lease.Spec.RenewTime!.Value;
        var renewed = await Eventually.ValueAsync(
            async () => await Client.GetAsync<V1Lease>("kube-node-lease", options.NodeName, CancellationToken.None) is { Spec.RenewTime: { } t } && t > first ? (object)t : null,
            "a renewal",
            TimeSpan.FromSeconds(5));
        Assert.InRange((DateTime)renewed - first, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Heartbeat_SomeoneMarksReadyUnknown_ReassertsReadyAtOnce()
    {
        var options = _fixture.NewAgent();
        await NodeRegistration.RegisterAsync(Client, options, 10250, CancellationToken.None);
        await using var heartbeat = new NodeHeartbeat(Client, options, 10250);
        await heartbeat.StartAsync(CancellationToken.None);
        await Eventually.ValueAsync(() => Client.GetAsync<V1Lease>("kube-node-lease", options.NodeName, CancellationToken.None), "lease");
        await Task.Delay(500);

        await SetReadyUnknownAsync(options.NodeName);

        // The renew interval is 10 s: a re-assertion within 5 s comes from watching the Node, not from the timer.
        var ready = await Eventually.ValueAsync(
            async () => await Client.GetAsync<V1Node>(null, options.NodeName, CancellationToken.None) is { } n && Ready(n) is { Status: "True" } c ? c : null,
            "Ready=True again",
            TimeSpan.FromSeconds(5));
        Assert.Equal("KubeletReady", ready.Reason);
    }

    [Fact]
    public async Task Heartbeat_StoppedThenRestarted_LifecycleControllerMarksUnknownThenReadyReturnsAndTaintsGo()
    {
        var options = _fixture.NewAgent(TimeSpan.FromSeconds(2));
        await NodeRegistration.RegisterAsync(Client, options, 10250, CancellationToken.None);
        await using (var heartbeat = new NodeHeartbeat(Client, options, 10250))
        {
            await heartbeat.StartAsync(CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal("True", Ready((await Client.GetAsync<V1Node>(null, options.NodeName, CancellationToken.None))!)?.Status);
        }

        var unknown = await Eventually.ValueAsync(
            async () => await Client.GetAsync<V1Node>(null, options.NodeName, CancellationToken.None) is { } n && Ready(n)?.Status == "Unknown" && (n.Spec.Taints?.Count ?? 0) == 2 ? n : null,
            "Ready=Unknown with the unreachable taints");
        Assert.Equal("NodeStatusUnknown", Ready(unknown)!.Reason);

        await using var restarted = new NodeHeartbeat(Client, options, 10250);
        await restarted.StartAsync(CancellationToken.None);

        await Eventually.ValueAsync(
            async () => await Client.GetAsync<V1Node>(null, options.NodeName, CancellationToken.None) is { } n && Ready(n)?.Status == "True" && (n.Spec.Taints?.Count ?? 0) == 0 ? n : null,
            "Ready=True without taints");
    }

    private static V1NodeCondition? Ready(V1Node node) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    /// <summary>What the node lifecycle controller writes when the grace period passes.</summary>
    private async Task SetReadyUnknownAsync(string name)
    {
        for (var attempt = 0; ; attempt++)
        {
            var node = (await Client.GetAsync<V1Node>(null, name, CancellationToken.None))!;
            var ready = Ready(node)!;
            ready.Status = "Unknown";
            ready.Reason = "NodeStatusUnknown";
            ready.Message = "Kubelet stopped posting node status.";
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
}
