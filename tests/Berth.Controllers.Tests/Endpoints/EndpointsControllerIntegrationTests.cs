using Berth.Controllers.Endpoints;
using Berth.Controllers.EndpointSlices;
using Berth.Controllers.Tests.EndpointSlices;
using Berth.Controllers.Tests.Integration;
using k8s.Models;

namespace Berth.Controllers.Tests.Endpoints;

/// <summary>The Endpoints controller against the real API server; the test plays the kubelet.</summary>
public sealed class EndpointsControllerIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private readonly ControlPlaneFixture _fixture;

    public EndpointsControllerIntegrationTests(ControlPlaneFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Sync_ReadyAndNotReadyPods_SameAddressesAsSlices()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointsController(m), m => new EndpointSliceController(m));
        await kubelet.RunPodAsync("web-1", "127.244.0.1");
        await kubelet.RunPodAsync("web-2", "127.244.0.2");
        await kubelet.RunPodAsync("web-3", "127.244.0.3", ready: false);

        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "web"), CancellationToken.None);

        var endpoints = await EndpointsWhenAsync(ns, "web", e => Addresses(e).Count == 3, "three addresses");
        var slices = await Eventually.ValueAsync(
            async () => await Services.SlicesAsync(_fixture.Client, ns, "web") is { } s && s.Sum(x => x.Endpoints?.Count ?? 0) == 3 ? s : null,
            "three slice endpoints");
        var subset = Assert.Single(endpoints.Subsets);
        Assert.Equal(["127.244.0.1", "127.244.0.2"], subset.Addresses.Select(a => a.Ip));
        Assert.Equal(["127.244.0.3"], subset.NotReadyAddresses.Select(a => a.Ip));
        Assert.Equal(("http", 8080, "TCP"), (subset.Ports.Single().Name, subset.Ports.Single().Port, subset.Ports.Single().Protocol));
        Assert.Equal(Addresses(endpoints), Services.Endpoints(slices).ToDictionary(e => e.Key, e => e.Value.Conditions.Ready == true));
        Assert.Equal("a", endpoints.Metadata.Labels["team"]);
    }

    [Fact]
    public async Task Sync_ServiceWithoutPods_EmptyEndpointsCreated()
    {
        var (ns, _) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointsController(m));

        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "empty"), CancellationToken.None);

        var endpoints = await EndpointsWhenAsync(ns, "empty", _ => true, "empty Endpoints");
        Assert.Empty(endpoints.Subsets ?? []);
    }

    [Fact]
    public async Task Sync_PodBecomesNotReady_MovedToNotReadyAddresses()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointsController(m));
        await kubelet.RunPodAsync("web-1", "127.244.0.1");
        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "web"), CancellationToken.None);
        await EndpointsWhenAsync(ns, "web", e => Addresses(e).GetValueOrDefault("127.244.0.1"), "ready address");

        await kubelet.SetReadyAsync("web-1", ready: false);

        await EndpointsWhenAsync(ns, "web", e => Addresses(e).TryGetValue("127.244.0.1", out var ready) && !ready, "not-ready address");
    }

    [Fact]
    public async Task Sync_ServiceDeleted_EndpointsDeleted()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointsController(m));
        await kubelet.RunPodAsync("web-1", "127.244.0.1");
        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "web"), CancellationToken.None);
        await EndpointsWhenAsync(ns, "web", e => Addresses(e).Count == 1, "one address");

        await _fixture.Client.DeleteAsync<V1Service>(ns, "web", null, CancellationToken.None);

        await Eventually.TrueAsync(async () => await _fixture.Client.GetAsync<V1Endpoints>(ns, "web", CancellationToken.None) is null, "Endpoints deleted");
    }

    [Fact]
    public async Task Sync_SelectorlessServiceAndNoOpChange_NoWrites()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointsController(m));
        await kubelet.RunPodAsync("web-1", "127.244.0.1");
        await _fixture.Client.CreateAsync(Services.WithoutSelector(ns, "manual"), CancellationToken.None);
        var user = await _fixture.Client.CreateAsync(UserEndpoints(ns, "manual", "127.244.0.50"), CancellationToken.None);
        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "web"), CancellationToken.None);
        var synced = await EndpointsWhenAsync(ns, "web", e => Addresses(e).Count == 1, "one address");

        // A Service change that does not change the Endpoints, then a marker Service synced after it.
        var service = await _fixture.Client.GetAsync<V1Service>(ns, "web", CancellationToken.None);
        service!.Metadata.Annotations = new Dictionary<string, string> { ["note"] = "unrelated" };
        await _fixture.Client.UpdateAsync(service, CancellationToken.None);
        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "marker"), CancellationToken.None);
        await EndpointsWhenAsync(ns, "marker", e => Addresses(e).Count == 1, "marker Endpoints");

        var web = await _fixture.Client.GetAsync<V1Endpoints>(ns, "web", CancellationToken.None);
        var manual = await _fixture.Client.GetAsync<V1Endpoints>(ns, "manual", CancellationToken.None);
        Assert.Equal(synced.Metadata.ResourceVersion, web!.Metadata.ResourceVersion);
        Assert.Equal(user.Metadata.ResourceVersion, manual!.Metadata.ResourceVersion);
    }

    internal static V1Endpoints UserEndpoints(string ns, string name, params string[] ips) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Subsets =
        [
            new V1EndpointSubset
            {
                Addresses = [.. ips.Select(ip => new V1EndpointAddress { Ip = ip })],
                Ports = [new Corev1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
            },
        ],
    };

    private async Task<(string Namespace, FakeKubelet Kubelet)> ArrangeAsync()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var kubelet = new FakeKubelet(_fixture.Client, ns);
        await kubelet.RegisterNodeAsync();
        return (ns, kubelet);
    }

    private Task<V1Endpoints> EndpointsWhenAsync(string ns, string name, Func<V1Endpoints, bool> done, string what) =>
        Eventually.ValueAsync(
            async () => await _fixture.Client.GetAsync<V1Endpoints>(ns, name, CancellationToken.None) is { } e && done(e) ? e : null,
            what);

    /// <summary>IP → ready, over all subsets.</summary>
    private static Dictionary<string, bool> Addresses(V1Endpoints endpoints) =>
        (endpoints.Subsets ?? []).SelectMany(s => (s.Addresses ?? []).Select(a => (a.Ip, Ready: true)).Concat((s.NotReadyAddresses ?? []).Select(a => (a.Ip, Ready: false))))
            .ToDictionary(a => a.Ip, a => a.Ready, StringComparer.Ordinal);
}
