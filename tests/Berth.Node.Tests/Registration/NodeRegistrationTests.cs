using System.Net;
using Berth.Node.Registration;
using k8s.Models;

namespace Berth.Node.Tests.Registration;

public sealed class NodeRegistrationTests : IClassFixture<RegistrationFixture>
{
    private readonly RegistrationFixture _fixture;

    public NodeRegistrationTests(RegistrationFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Register_NewNode_CreatesItAsTheKubeletWouldAndReturnsItsPodCidr()
    {
        var options = _fixture.NewAgent();
        options.NodeAddress = IPAddress.Parse("127.0.0.1");
        options.MaxPods = 250;

        var node = await NodeRegistration.RegisterAsync(_fixture.Client, options, 10250, CancellationToken.None);

        Assert.StartsWith("127.244.", node.Spec.PodCIDR, StringComparison.Ordinal);
        Assert.Equal([node.Spec.PodCIDR], node.Spec.PodCIDRs);
        Assert.Equal(options.NodeName, node.Metadata.Labels["kubernetes.io/hostname"]);
        Assert.Equal("linux", node.Metadata.Labels["kubernetes.io/os"]);
        Assert.Contains(node.Metadata.Labels["kubernetes.io/arch"], new[] { "amd64", "arm64" });
        Assert.Contains(node.Status.Addresses, a => a.Type == "InternalIP" && a.Address == "127.0.0.1");
        Assert.Contains(node.Status.Addresses, a => a.Type == "Hostname" && a.Address == System.Net.Dns.GetHostName());
        Assert.Equal(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), node.Status.Capacity["cpu"].ToString());
        Assert.EndsWith("Ki", node.Status.Capacity["memory"].ToString(), StringComparison.Ordinal);
        Assert.Equal("250", node.Status.Allocatable["pods"].ToString());
        Assert.Equal(10250, node.Status.DaemonEndpoints.KubeletEndpoint.Port);
        Assert.Equal("v1.32.0+berth", node.Status.NodeInfo.KubeletVersion);
        Assert.StartsWith("berth://", node.Status.NodeInfo.ContainerRuntimeVersion, StringComparison.Ordinal);
        Assert.Equal("linux", node.Status.NodeInfo.OperatingSystem);
        Assert.False(string.IsNullOrEmpty(node.Status.NodeInfo.KernelVersion));
        var ready = node.Status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("True", "KubeletReady", "kubelet is posting ready status"), (ready.Status, ready.Reason, ready.Message));
        Assert.NotNull(ready.LastHeartbeatTime);
        Assert.All(node.Status.Conditions.Where(c => c.Type != "Ready"), c => Assert.Equal("False", c.Status));
    }

    [Fact]
    public async Task Register_RestartedAgent_UpdatesTheSameNodeAndKeepsItsPodCidr()
    {
        var options = _fixture.NewAgent();
        var first = await NodeRegistration.RegisterAsync(_fixture.Client, options, 10250, CancellationToken.None);
        var labelled = (await _fixture.Client.GetAsync<V1Node>(null, options.NodeName, CancellationToken.None))!;
        labelled.Metadata.Labels["team"] = "a";
        await _fixture.Client.UpdateAsync(labelled, CancellationToken.None);

        var second = await NodeRegistration.RegisterAsync(_fixture.Client, options, 10300, CancellationToken.None);

        Assert.Equal(first.Metadata.Uid, second.Metadata.Uid);
        Assert.Equal(first.Spec.PodCIDR, second.Spec.PodCIDR);
        Assert.Equal("a", second.Metadata.Labels["team"]);
        Assert.Equal(10300, second.Status.DaemonEndpoints.KubeletEndpoint.Port);
        Assert.Equal(4, second.Status.Conditions.Count);
    }
}
