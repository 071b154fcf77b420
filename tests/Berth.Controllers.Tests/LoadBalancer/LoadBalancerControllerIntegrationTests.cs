using Berth.Controllers.LoadBalancer;
using Berth.Controllers.Tests.Integration;
using k8s.Models;

namespace Berth.Controllers.Tests.LoadBalancer;

/// <summary>Each test uses its own pool and deletes its Services, so a later test's controller does not adopt them.</summary>
public sealed class LoadBalancerControllerIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private static readonly CancellationToken _none = CancellationToken.None;
    private readonly ControlPlaneFixture _fixture;

    public LoadBalancerControllerIntegrationTests(ControlPlaneFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Create_LoadBalancerService_GetsFirstPoolAddressAsVip()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await StartAsync("127.201.0.0/24");
        try
        {
            await _fixture.Client.CreateAsync(Service(ns, "web"), _none);
            await _fixture.Client.CreateAsync(Service(ns, "internal", type: "ClusterIP"), _none);
            await _fixture.Client.CreateAsync(Service(ns, "other-class", lbClass: "example.com/lb"), _none);

            var ingress = await IngressAsync(ns, "web");

            Assert.Equal("127.201.0.1", ingress.Ip);
            Assert.Equal("VIP", ingress.IpMode);
            await Task.Delay(300);
            Assert.Empty((await _fixture.Client.GetAsync<V1Service>(ns, "other-class", _none))!.Status?.LoadBalancer?.Ingress ?? []);
        }
        finally
        {
            await DeleteServicesAsync(ns);
        }
    }

    [Fact]
    public async Task Create_RequestedAddresses_AreHonoured()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await StartAsync("127.203.0.0/24");
        try
        {
            await _fixture.Client.CreateAsync(Service(ns, "by-spec", requested: "127.203.0.77"), _none);
            var annotated = Service(ns, "by-annotation");
            annotated.Metadata.Annotations = new Dictionary<string, string> { [LoadBalancerController.RequestAnnotation] = "127.203.0.88, 127.203.0.89" };
            await _fixture.Client.CreateAsync(annotated, _none);

            Assert.Equal("127.203.0.77", (await IngressAsync(ns, "by-spec")).Ip);
            Assert.Equal("127.203.0.88", (await IngressAsync(ns, "by-annotation")).Ip);
        }
        finally
        {
            await DeleteServicesAsync(ns);
        }
    }

    [Fact]
    public async Task Create_RequestOutsidePool_StaysPendingWithWarning()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await StartAsync("127.204.0.0/24");
        try
        {
            await _fixture.Client.CreateAsync(Service(ns, "outside", requested: "10.1.2.3"), _none);

            var warning = await WarningAsync(ns, "outside");

            Assert.Equal("requested IP 10.1.2.3 is not in pool 127.204.0.0/24", warning.Message);
            Assert.Empty((await _fixture.Client.GetAsync<V1Service>(ns, "outside", _none))!.Status?.LoadBalancer?.Ingress ?? []);
        }
        finally
        {
            await DeleteServicesAsync(ns);
        }
    }

    [Fact]
    public async Task Create_SameRequestedAddressTwice_SecondStaysPending()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await StartAsync("127.205.0.0/24");
        try
        {
            await _fixture.Client.CreateAsync(Service(ns, "first", requested: "127.205.0.9"), _none);
            Assert.Equal("127.205.0.9", (await IngressAsync(ns, "first")).Ip);

            await _fixture.Client.CreateAsync(Service(ns, "second", requested: "127.205.0.9"), _none);
            var warning = await WarningAsync(ns, "second");

            Assert.Equal($"requested IP 127.205.0.9 is already assigned to Service {ns}/first", warning.Message);
            Assert.Empty((await _fixture.Client.GetAsync<V1Service>(ns, "second", _none))!.Status?.LoadBalancer?.Ingress ?? []);
        }
        finally
        {
            await DeleteServicesAsync(ns);
        }
    }

    [Fact]
    public async Task Create_PoolExhausted_ThirdPendingUntilOneIsDeleted()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await StartAsync("127.206.0.0/30");
        try
        {
            await _fixture.Client.CreateAsync(Service(ns, "a"), _none);
            Assert.Equal("127.206.0.1", (await IngressAsync(ns, "a")).Ip);
            await _fixture.Client.CreateAsync(Service(ns, "b"), _none);
            Assert.Equal("127.206.0.2", (await IngressAsync(ns, "b")).Ip);

            await _fixture.Client.CreateAsync(Service(ns, "c"), _none);
            var warning = await WarningAsync(ns, "c");
            await _fixture.Client.DeleteAsync<V1Service>(ns, "a", null, _none);

            Assert.Equal("no available IPs in pool 127.206.0.0/30", warning.Message);
            Assert.Equal("127.206.0.1", (await IngressAsync(ns, "c")).Ip);
        }
        finally
        {
            await DeleteServicesAsync(ns);
        }
    }

    [Fact]
    public async Task Update_TypeToClusterIP_ReleasesAddress()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await StartAsync("127.207.0.0/30");
        try
        {
            await _fixture.Client.CreateAsync(Service(ns, "x"), _none);
            Assert.Equal("127.207.0.1", (await IngressAsync(ns, "x")).Ip);
            await _fixture.Client.CreateAsync(Service(ns, "y"), _none);
            Assert.Equal("127.207.0.2", (await IngressAsync(ns, "y")).Ip);

            var x = (await _fixture.Client.GetAsync<V1Service>(ns, "x", _none))!;
            x.Spec.Type = "ClusterIP";
            var updated = await _fixture.Client.UpdateAsync(x, _none);
            await _fixture.Client.CreateAsync(Service(ns, "z"), _none);

            Assert.Empty(updated.Status?.LoadBalancer?.Ingress ?? []);
            Assert.Equal("127.207.0.1", (await IngressAsync(ns, "z")).Ip);
        }
        finally
        {
            await DeleteServicesAsync(ns);
        }
    }

    [Fact]
    public async Task Start_ExistingStatus_AllocationRebuilt()
    {
        var ns = await _fixture.NewNamespaceAsync();
        try
        {
            await using (var first = await StartAsync("127.208.0.0/30"))
            {
                await _fixture.Client.CreateAsync(Service(ns, "kept"), _none);
                Assert.Equal("127.208.0.1", (await IngressAsync(ns, "kept")).Ip);
            }

            await using var second = await StartAsync("127.208.0.0/30");
            await _fixture.Client.CreateAsync(Service(ns, "new"), _none);

            Assert.Equal("127.208.0.2", (await IngressAsync(ns, "new")).Ip);
            Assert.Equal("127.208.0.1", (await IngressAsync(ns, "kept")).Ip);
        }
        finally
        {
            await DeleteServicesAsync(ns);
        }
    }

    private Task<ControllerManager> StartAsync(string pool) =>
        _fixture.StartAsync(new ControllerOptions { LoadBalancerPool = pool }, m => new LoadBalancerController(m));

    private async Task<V1LoadBalancerIngress> IngressAsync(string ns, string name) =>
        await Eventually.ValueAsync(
            async () => (await _fixture.Client.GetAsync<V1Service>(ns, name, _none))?.Status?.LoadBalancer?.Ingress?.FirstOrDefault(),
            $"an address for {ns}/{name}");

    private async Task<Corev1Event> WarningAsync(string ns, string name) =>
        await Eventually.ValueAsync(
            async () => (await _fixture.Client.ListAsync<Corev1Event>(ns, null, _none)).Items
                .FirstOrDefault(e => e.InvolvedObject.Name == name && e.Type == "Warning" && e.Reason == LoadBalancerController.AllocationFailedReason),
            $"a warning about {ns}/{name}");

    private async Task DeleteServicesAsync(string ns)
    {
        foreach (var service in (await _fixture.Client.ListAsync<V1Service>(ns, null, _none)).Items)
        {
            await _fixture.Client.DeleteAsync<V1Service>(ns, service.Metadata.Name, null, _none);
        }
    }

    private static V1Service Service(string ns, string name, string type = "LoadBalancer", string? requested = null, string? lbClass = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec
        {
            Type = type,
            LoadBalancerIP = requested,
            LoadBalancerClass = lbClass,
            Selector = new Dictionary<string, string> { ["app"] = name },
            Ports = [new V1ServicePort { Port = 80 }],
        },
    };
}
