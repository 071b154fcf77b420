using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Allocation;

public sealed class ServiceAllocationTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Kubernetes _client;

    public ServiceAllocationTests(BerthServer server)
    {
        _server = server;
        _client = server.Client;
    }

    private static V1Service Svc(string name, string? type = null, string? clusterIp = null, int? nodePort = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec
        {
            Type = type,
            ClusterIP = clusterIp,
            Selector = new Dictionary<string, string> { ["app"] = name },
            Ports = [new V1ServicePort { Port = 80, TargetPort = 8080, NodePort = nodePort }],
        },
    };

    [Fact]
    public async Task Create_ClusterIp_AllocatedFromServiceCidr()
    {
        var svc = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("alloc-a"), "default");

        Assert.StartsWith("127.", svc.Spec.ClusterIP);
        Assert.Equal([svc.Spec.ClusterIP], svc.Spec.ClusterIPs);
        Assert.Equal(["IPv4"], svc.Spec.IpFamilies);
        Assert.Equal("SingleStack", svc.Spec.IpFamilyPolicy);
    }

    [Fact]
    public async Task KubernetesService_AtFirstAddressWithEndpoints()
    {
        var svc = await _client.CoreV1.ReadNamespacedServiceAsync("kubernetes", "default");
        var slice = await _client.DiscoveryV1.ReadNamespacedEndpointSliceAsync("kubernetes", "default");
        var endpoints = await _client.CoreV1.ReadNamespacedEndpointsAsync("kubernetes", "default");

        Assert.Equal("127.96.0.1", svc.Spec.ClusterIP);
        Assert.Equal("https", svc.Spec.Ports[0].Name);
        Assert.Equal(443, svc.Spec.Ports[0].Port);
        Assert.Equal(_server.Host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), svc.Spec.Ports[0].TargetPort.Value);
        Assert.Equal(_server.Host.Port, slice.Ports[0].Port);
        Assert.Equal("127.0.0.1", endpoints.Subsets[0].Addresses[0].Ip);
    }

    [Fact]
    public async Task KubernetesService_Deleted_IsRecreated()
    {
        await _client.CoreV1.DeleteNamespacedEndpointsAsync("kubernetes", "default");

        V1Endpoints? back = null;
        for (var i = 0; i < 100 && back is null; i++)
        {
            await Task.Delay(100);
            var list = await _client.CoreV1.ListNamespacedEndpointsAsync("default", fieldSelector: "metadata.name=kubernetes");
            back = list.Items.FirstOrDefault();
        }

        Assert.NotNull(back);
    }

    [Fact]
    public async Task Create_RequestedIp_HonouredThenTakenForOthers()
    {
        var first = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("alloc-fixed", clusterIp: "127.96.0.200"), "default");

        var status = await StatusAssert.FailsAsync(() => _client.CoreV1.CreateNamespacedServiceAsync(Svc("alloc-fixed-2", clusterIp: "127.96.0.200"), "default"), 422);

        Assert.Equal("127.96.0.200", first.Spec.ClusterIP);
        var cause = Assert.Single(status.Details.Causes);
        Assert.Equal("spec.clusterIPs", cause.Field);
        Assert.Equal("Invalid value: []string{\"127.96.0.200\"}: failed to allocate IP 127.96.0.200: provided IP is already allocated", cause.Message);
    }

    [Fact]
    public async Task Create_IpOutsideRange_Invalid()
    {
        var status = await StatusAssert.FailsAsync(() => _client.CoreV1.CreateNamespacedServiceAsync(Svc("alloc-out", clusterIp: "192.168.9.9"), "default"), 422);

        Assert.Equal(
            "Invalid value: []string{\"192.168.9.9\"}: failed to allocate IP 192.168.9.9: the provided IP (192.168.9.9) is not in the valid range. The range of valid IPs is 127.96.0.0/12",
            Assert.Single(status.Details.Causes).Message);
    }

    [Fact]
    public async Task Delete_ReleasesClusterIp()
    {
        await _client.CoreV1.CreateNamespacedServiceAsync(Svc("alloc-rel", clusterIp: "127.96.0.201"), "default");
        await _client.CoreV1.DeleteNamespacedServiceAsync("alloc-rel", "default");

        var again = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("alloc-rel-2", clusterIp: "127.96.0.201"), "default");

        Assert.Equal("127.96.0.201", again.Spec.ClusterIP);
    }

    [Fact]
    public async Task Create_InvalidAfterAllocation_RollsBackTheIp()
    {
        var bad = Svc("alloc-rollback", clusterIp: "127.96.0.202");
        bad.Spec.SessionAffinity = "Sticky";
        await StatusAssert.FailsAsync(() => _client.CoreV1.CreateNamespacedServiceAsync(bad, "default"), 422);

        var good = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("alloc-rollback", clusterIp: "127.96.0.202"), "default");

        Assert.Equal("127.96.0.202", good.Spec.ClusterIP);
    }

    [Fact]
    public async Task Create_DryRun_AllocatesNothing()
    {
        var dry = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("alloc-dry", clusterIp: "127.96.0.203"), "default", dryRun: "All");

        var real = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("alloc-dry-real", clusterIp: "127.96.0.203"), "default");

        Assert.Equal("127.96.0.203", dry.Spec.ClusterIP);
        Assert.Equal("127.96.0.203", real.Spec.ClusterIP);
    }

    [Fact]
    public async Task Create_NodePort_AllocatedInRange()
    {
        var svc = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("np-auto", type: "NodePort"), "default");

        Assert.InRange(svc.Spec.Ports[0].NodePort ?? 0, 30000, 32767);
        Assert.Equal("Cluster", svc.Spec.ExternalTrafficPolicy);
    }

    [Fact]
    public async Task Create_NodePortOutOfRangeOrTaken_Invalid()
    {
        await _client.CoreV1.CreateNamespacedServiceAsync(Svc("np-fixed", type: "NodePort", nodePort: 30080), "default");

        var taken = await StatusAssert.FailsAsync(() => _client.CoreV1.CreateNamespacedServiceAsync(Svc("np-fixed-2", type: "NodePort", nodePort: 30080), "default"), 422);
        var outside = await StatusAssert.FailsAsync(() => _client.CoreV1.CreateNamespacedServiceAsync(Svc("np-low", type: "NodePort", nodePort: 80), "default"), 422);

        Assert.Equal("spec.ports[0].nodePort", Assert.Single(taken.Details.Causes).Field);
        Assert.Equal("Invalid value: 30080: provided port is already allocated", taken.Details.Causes[0].Message);
        Assert.Equal("Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767", Assert.Single(outside.Details.Causes).Message);
    }

    [Fact]
    public async Task Create_SamePortTwoProtocols_ShareOneNodePort()
    {
        var svc = Svc("np-dns", type: "NodePort");
        svc.Spec.Ports = [new V1ServicePort { Name = "dns-tcp", Port = 53, Protocol = "TCP" }, new V1ServicePort { Name = "dns-udp", Port = 53, Protocol = "UDP" }];

        var created = await _client.CoreV1.CreateNamespacedServiceAsync(svc, "default");

        Assert.Equal(created.Spec.Ports[0].NodePort, created.Spec.Ports[1].NodePort);
    }

    [Fact]
    public async Task Update_NodePortToClusterIp_ReleasesNodePort()
    {
        var created = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("np-down", type: "NodePort", nodePort: 30090), "default");
        created.Spec.Type = "ClusterIP";
        created.Spec.Ports[0].NodePort = null;
        created.Spec.ExternalTrafficPolicy = null;

        var updated = await _client.CoreV1.ReplaceNamespacedServiceAsync(created, "np-down", "default");
        var reuse = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("np-down-2", type: "NodePort", nodePort: 30090), "default");

        Assert.Null(updated.Spec.Ports[0].NodePort);
        Assert.Equal(created.Spec.ClusterIP, updated.Spec.ClusterIP);
        Assert.Equal(30090, reuse.Spec.Ports[0].NodePort);
    }

    [Fact]
    public async Task Update_ClusterIpToExternalNameAndBack_ReleasesAndReallocates()
    {
        var created = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("ext-switch", clusterIp: "127.96.0.204"), "default");

        var external = await _client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("""{"spec":{"type":"ExternalName","externalName":"example.com","clusterIP":null,"clusterIPs":null,"ipFamilies":null,"ipFamilyPolicy":null,"selector":null}}""", V1Patch.PatchType.MergePatch),
            "ext-switch",
            "default");
        var reuse = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("ext-switch-2", clusterIp: "127.96.0.204"), "default");
        var back = await _client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("""{"spec":{"type":"ClusterIP","externalName":null}}""", V1Patch.PatchType.MergePatch), "ext-switch", "default");

        Assert.Equal("127.96.0.204", created.Spec.ClusterIP);
        Assert.Null(external.Spec.ClusterIP);
        Assert.Equal("127.96.0.204", reuse.Spec.ClusterIP);
        Assert.False(string.IsNullOrEmpty(back.Spec.ClusterIP));
        Assert.NotEqual("127.96.0.204", back.Spec.ClusterIP);
    }

    [Fact]
    public async Task Update_ChangeClusterIp_Invalid()
    {
        var created = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("ip-immutable"), "default");
        created.Spec.ClusterIP = "127.96.0.250";
        created.Spec.ClusterIPs = ["127.96.0.250"];

        var status = await StatusAssert.FailsAsync(() => _client.CoreV1.ReplaceNamespacedServiceAsync(created, "ip-immutable", "default"), 422);

        Assert.Contains(status.Details.Causes, c => c.Field == "spec.clusterIPs[0]" && c.Message.EndsWith("may not change once set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadBalancerLocal_AllocatesHealthCheckNodePort()
    {
        var svc = Svc("lb-local", type: "LoadBalancer");
        svc.Spec.ExternalTrafficPolicy = "Local";

        var created = await _client.CoreV1.CreateNamespacedServiceAsync(svc, "default");

        Assert.InRange(created.Spec.HealthCheckNodePort ?? 0, 30000, 32767);
        Assert.NotEqual(created.Spec.Ports[0].NodePort, created.Spec.HealthCheckNodePort);
        Assert.True(created.Spec.AllocateLoadBalancerNodePorts);
    }
}
