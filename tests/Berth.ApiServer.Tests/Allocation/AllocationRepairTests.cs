using System.Net;
using System.Text;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Allocation;

public sealed class AllocationRepairTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Kubernetes _client;

    public AllocationRepairTests(BerthServer server)
    {
        _server = server;
        _client = server.Client;
    }

    private static V1Service Svc(string name, string? ip = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec { ClusterIP = ip, Ports = [new V1ServicePort { Port = 80 }] },
    };

    [Fact]
    public async Task Repair_LeakedIp_ReleasedOnlyAfterThreePasses()
    {
        var leaked = IPAddress.Parse("127.96.0.99");
        _server.Host.ServiceAllocation.ClusterIps.Allocate(leaked);

        await _server.Host.AllocationRepair.RepairOnceAsync(CancellationToken.None);
        await _server.Host.AllocationRepair.RepairOnceAsync(CancellationToken.None);
        var afterTwo = _server.Host.ServiceAllocation.ClusterIps.IsAllocated(leaked);
        await _server.Host.AllocationRepair.RepairOnceAsync(CancellationToken.None);
        var created = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("repair-leak", "127.96.0.99"), "default");

        Assert.True(afterTwo);
        Assert.Equal("127.96.0.99", created.Spec.ClusterIP);
    }

    [Fact]
    public async Task Repair_LostAllocation_TakenAgainWithWarningEvent()
    {
        var svc = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("repair-lost"), "default");
        _server.Host.ServiceAllocation.ClusterIps.Release(IPAddress.Parse(svc.Spec.ClusterIP));

        await _server.Host.AllocationRepair.RepairOnceAsync(CancellationToken.None);
        var events = await _client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=repair-lost,reason=ClusterIPNotAllocated");

        Assert.True(_server.Host.ServiceAllocation.ClusterIps.IsAllocated(IPAddress.Parse(svc.Spec.ClusterIP)));
        var ev = Assert.Single(events.Items);
        Assert.Equal("Warning", ev.Type);
        Assert.Equal(svc.Metadata.Uid, ev.InvolvedObject.Uid);
    }

    [Fact]
    public async Task Repair_DuplicateClusterIp_ReportedOnTheService()
    {
        var first = await _client.CoreV1.CreateNamespacedServiceAsync(Svc("repair-dup-a"), "default");

        // A second Service with the same address can only come from outside the allocator: write it to the store directly.
        var copy = Svc("repair-dup-b", first.Spec.ClusterIP);
        copy.ApiVersion = "v1";
        copy.Kind = "Service";
        copy.Metadata.NamespaceProperty = "default";
        copy.Metadata.Uid = Guid.NewGuid().ToString();
        copy.Spec.ClusterIPs = [first.Spec.ClusterIP];
        await _server.Host.Store.CreateAsync("/registry/core/services/default/repair-dup-b", Encoding.UTF8.GetBytes(KubernetesJson.Serialize(copy)), CancellationToken.None);

        await _server.Host.AllocationRepair.RepairOnceAsync(CancellationToken.None);
        var events = await _client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "reason=ClusterIPAlreadyAllocated");

        Assert.Contains(events.Items, e => e.InvolvedObject.Name is "repair-dup-a" or "repair-dup-b" && e.Message.Contains("assigned to multiple services", StringComparison.Ordinal));
    }
}
