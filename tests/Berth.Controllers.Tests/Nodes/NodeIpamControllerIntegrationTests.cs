using System.Net;
using Berth.Client;
using Berth.Controllers.Nodes;
using Berth.Controllers.Tests.Integration;
using k8s.Models;

namespace Berth.Controllers.Tests.Nodes;

/// <summary>Nodes are cluster-wide: each test uses its own cluster CIDR and deletes its Nodes afterwards.</summary>
public sealed class NodeIpamControllerIntegrationTests : IClassFixture<ControlPlaneFixture>, IAsyncLifetime
{
    private readonly ControlPlaneFixture _fixture;
    private readonly List<string> _nodes = [];

    public NodeIpamControllerIntegrationTests(ControlPlaneFixture fixture) => _fixture = fixture;

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
    public async Task Assign_ThreeNewNodes_GetDistinctCidrsOfTheClusterCidr()
    {
        await using var manager = await _fixture.StartAsync(Options("10.11.0.0/16", 24), m => new NodeIpamController(m));

        var names = new[] { await CreateNodeAsync("a"), await CreateNodeAsync("b"), await CreateNodeAsync("c") };

        var cidrs = new List<string>();
        foreach (var name in names)
        {
            var node = await WaitForCidrAsync(name);
            Assert.Equal([node.Spec.PodCIDR], node.Spec.PodCIDRs);
            Assert.True(IPNetwork.Parse("10.11.0.0/16").Contains(IPNetwork.Parse(node.Spec.PodCIDR).BaseAddress));
            Assert.EndsWith("/24", node.Spec.PodCIDR, StringComparison.Ordinal);
            cidrs.Add(node.Spec.PodCIDR);
        }

        Assert.Equal(3, cidrs.Distinct().Count());
    }

    [Fact]
    public async Task Restart_ExistingCidrs_AreRelearnedAndNeverChanged()
    {
        var options = Options("10.12.0.0/16", 24);
        var preset = await CreateNodeAsync("preset", podCidr: "10.12.0.0/24");
        string first;
        await using (var manager = await _fixture.StartAsync(options, m => new NodeIpamController(m)))
        {
            first = (await WaitForCidrAsync(await CreateNodeAsync("first"))).Spec.PodCIDR;
        }

        var late = await CreateNodeAsync("late");
        await using var restarted = await _fixture.StartAsync(options, m => new NodeIpamController(m));

        var lateCidr = (await WaitForCidrAsync(late)).Spec.PodCIDR;
        Assert.Equal("10.12.1.0/24", first);
        Assert.NotEqual(first, lateCidr);
        Assert.NotEqual("10.12.0.0/24", lateCidr);
        Assert.Equal("10.12.0.0/24", (await _fixture.Client.GetAsync<V1Node>(null, preset, CancellationToken.None))!.Spec.PodCIDR);
    }

    [Fact]
    public async Task Assign_RangeExhausted_RecordsCidrNotAvailableThenAssignsTheReleasedCidr()
    {
        await using var manager = await _fixture.StartAsync(Options("10.13.0.0/24", 25), m => new NodeIpamController(m));
        var a = await CreateNodeAsync("a");
        var b = await CreateNodeAsync("b");
        var aCidr = (await WaitForCidrAsync(a)).Spec.PodCIDR;
        await WaitForCidrAsync(b);

        var c = await CreateNodeAsync("c");

        var ev = await Eventually.ValueAsync(
            async () => (await _fixture.Client.ListAsync<Corev1Event>("default", null, CancellationToken.None)).Items
                .FirstOrDefault(e => e.InvolvedObject.Name == c && e.Reason == NodeIpamController.CidrNotAvailableReason),
            "CIDRNotAvailable event");
        Assert.Equal("Node", ev.InvolvedObject.Kind);
        Assert.Equal("Normal", ev.Type);
        Assert.Equal($"Node {c} status is now: CIDRNotAvailable", ev.Message);
        Assert.Equal("cidrAllocator", ev.Source.Component);
        Assert.Null((await _fixture.Client.GetAsync<V1Node>(null, c, CancellationToken.None))!.Spec?.PodCIDR);

        await _fixture.Client.DeleteAsync<V1Node>(null, a, null, CancellationToken.None);

        Assert.Equal(aCidr, (await WaitForCidrAsync(c)).Spec.PodCIDR);
    }

    private static ControllerOptions Options(string cidr, int mask) => new() { ClusterCidr = cidr, NodeCidrMaskSize = mask };

    private async Task<string> CreateNodeAsync(string suffix, string? podCidr = null)
    {
        var name = "ipam-" + suffix + "-" + Guid.NewGuid().ToString("N")[..6];
        await _fixture.Client.CreateAsync(
            new V1Node
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = podCidr is null ? null : new V1NodeSpec { PodCIDR = podCidr, PodCIDRs = [podCidr] },
            },
            CancellationToken.None);
        _nodes.Add(name);
        return name;
    }

    private Task<V1Node> WaitForCidrAsync(string name) =>
        Eventually.ValueAsync(
            async () => await _fixture.Client.GetAsync<V1Node>(null, name, CancellationToken.None) is { Spec.PodCIDR: { Length: > 0 } } n ? n : null,
            "pod CIDR of " + name);
}
