using Berth.Controllers.EndpointSlices;
using Berth.Controllers.Tests.Integration;
using k8s.Models;

namespace Berth.Controllers.Tests.EndpointSlices;

/// <summary>The EndpointSlice controller against the real API server; the test plays the kubelet.</summary>
public sealed class EndpointSliceControllerIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private readonly ControlPlaneFixture _fixture;

    public EndpointSliceControllerIntegrationTests(ControlPlaneFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Sync_IntTargetPort_OneSliceWithReadyEndpoints()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointSliceController(m));
        await kubelet.RunPodAsync("web-1", "127.244.0.1");
        await kubelet.RunPodAsync("web-2", "127.244.0.2");

        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "web"), CancellationToken.None);

        var slices = await SlicesWhenAsync(ns, "web", s => s.Count == 1 && s[0].Endpoints?.Count == 2, "two endpoints");
        var slice = slices[0];
        Assert.Equal("IPv4", slice.AddressType);
        Assert.Equal(8080, Assert.Single(slice.Ports).Port);
        Assert.Equal("http", slice.Ports[0].Name);
        Assert.Equal("a", slice.Metadata.Labels["team"]);
        Assert.StartsWith("web-", slice.Metadata.Name, StringComparison.Ordinal);
        var owner = Assert.Single(slice.Metadata.OwnerReferences);
        Assert.Equal(("Service", "web", true), (owner.Kind, owner.Name, owner.Controller == true));
        var endpoint = Services.Endpoints(slices)["127.244.0.1"];
        Assert.Equal((true, true, false), (endpoint.Conditions.Ready == true, endpoint.Conditions.Serving == true, endpoint.Conditions.Terminating == true));
        Assert.Equal(FakeKubelet.NodeName, endpoint.NodeName);
        Assert.Equal(FakeKubelet.Zone, endpoint.Zone);
        Assert.Equal("web-1", endpoint.TargetRef.Name);
    }

    [Fact]
    public async Task Sync_NamedTargetPortResolvedDifferently_TwoSlices()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointSliceController(m));
        await kubelet.RunPodAsync("web-1", "127.244.0.1", ports: FakeKubelet.Port("http", 8080));
        await kubelet.RunPodAsync("web-2", "127.244.0.2", ports: FakeKubelet.Port("http", 9090));

        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "web", Services.Port("http", 80, "http")), CancellationToken.None);

        var slices = await SlicesWhenAsync(ns, "web", s => s.Count == 2 && s.All(x => x.Endpoints?.Count == 1), "one slice per resolved port");
        var byPort = slices.ToDictionary(s => s.Ports.Single().Port ?? 0, s => s.Endpoints.Single().Addresses.Single());
        Assert.Equal("127.244.0.1", byPort[8080]);
        Assert.Equal("127.244.0.2", byPort[9090]);
    }

    [Fact]
    public async Task Sync_TwoPorts_OneSliceWithBothPorts()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointSliceController(m));
        await kubelet.RunPodAsync("web-1", "127.244.0.1");

        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "web", Services.Port("http", 80, 8080), Services.Port("metrics", 9100, 9100)), CancellationToken.None);

        var slices = await SlicesWhenAsync(ns, "web", s => s.Count == 1 && s[0].Endpoints?.Count == 1, "one endpoint");
        Assert.Equal(["http/8080", "metrics/9100"], slices[0].Ports.Select(p => p.Name + "/" + p.Port).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Sync_TcpAndUdpOnOnePort_BothProtocolsInOneSlice()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointSliceController(m));
        await kubelet.RunPodAsync("dns-1", "127.244.0.1", ports: [FakeKubelet.Port("dns", 5353, "UDP"), FakeKubelet.Port("dns-tcp", 5353, "TCP")]);

        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "dns", Services.Port("dns", 53, "dns", "UDP"), Services.Port("dns-tcp", 53, "dns-tcp", "TCP")), CancellationToken.None);

        var slices = await SlicesWhenAsync(ns, "dns", s => s.Count == 1 && s[0].Endpoints?.Count == 1, "one endpoint");
        Assert.Equal(["TCP/5353", "UDP/5353"], slices[0].Ports.Select(p => p.Protocol + "/" + p.Port).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Sync_PublishNotReadyAddresses_NotReadyPodListedReady()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointSliceController(m));
        await kubelet.RunPodAsync("web-1", "127.244.0.1", ready: false);
        var service = Services.WithSelector(ns, "web");
        service.Spec.PublishNotReadyAddresses = true;

        await _fixture.Client.CreateAsync(service, CancellationToken.None);

        var slices = await SlicesWhenAsync(ns, "web", s => s.Count == 1 && s[0].Endpoints?.Count == 1, "one endpoint");
        var conditions = slices[0].Endpoints[0].Conditions;
        Assert.Equal((true, false), (conditions.Ready == true, conditions.Serving == true));
    }

    [Fact]
    public async Task Sync_PodBecomesNotReadyThenReady_ReadyFlipsAndBack()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointSliceController(m));
        await kubelet.RunPodAsync("web-1", "127.244.0.1");
        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "web"), CancellationToken.None);
        await SlicesWhenAsync(ns, "web", s => ReadyOf(s, "127.244.0.1") == true, "ready endpoint");

        await kubelet.SetReadyAsync("web-1", ready: false);
        var notReady = await SlicesWhenAsync(ns, "web", s => ReadyOf(s, "127.244.0.1") == false, "not-ready endpoint");
        await kubelet.SetReadyAsync("web-1", ready: true);
        var readyAgain = await SlicesWhenAsync(ns, "web", s => ReadyOf(s, "127.244.0.1") == true, "ready again");

        Assert.Equal(false, notReady[0].Endpoints[0].Conditions.Serving);
        Assert.Single(readyAgain);
        Assert.Equal(notReady[0].Metadata.Name, readyAgain[0].Metadata.Name);
    }

    [Fact]
    public async Task Sync_TerminatingPod_ServingAndTerminatingNotReady()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointSliceController(m));
        await kubelet.RunPodAsync("web-1", "127.244.0.1");
        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "web"), CancellationToken.None);
        await SlicesWhenAsync(ns, "web", s => ReadyOf(s, "127.244.0.1") == true, "ready endpoint");

        await _fixture.Client.DeleteAsync<V1Pod>(ns, "web-1", null, CancellationToken.None);

        var slices = await SlicesWhenAsync(ns, "web", s => s.Count == 1 && s[0].Endpoints?.SingleOrDefault()?.Conditions.Terminating == true, "terminating endpoint");
        var conditions = slices[0].Endpoints[0].Conditions;
        Assert.Equal((false, true, true), (conditions.Ready == true, conditions.Serving == true, conditions.Terminating == true));
    }

    [Fact]
    public async Task Sync_250Pods_ThreeSlicesOfAtMost100()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointSliceController(m));
        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "web"), CancellationToken.None);

        await Parallel.ForAsync(0, 250, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await kubelet.RunPodAsync("web-" + i, "127.244." + (1 + (i / 250)) + "." + (1 + (i % 250))));

        var slices = await SlicesWhenAsync(ns, "web", s => s.Sum(x => x.Endpoints?.Count ?? 0) == 250, "250 endpoints", TimeSpan.FromSeconds(60));
        Assert.Equal(3, slices.Count);
        Assert.All(slices, s => Assert.InRange(s.Endpoints.Count, 1, 100));
        Assert.Equal(250, Services.Endpoints(slices).Count);
    }

    [Fact]
    public async Task Sync_ServiceWithoutPods_PlaceholderSlice()
    {
        var (ns, _) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointSliceController(m));

        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "empty"), CancellationToken.None);

        var slices = await SlicesWhenAsync(ns, "empty", s => s.Count == 1, "placeholder");
        Assert.Empty(slices[0].Endpoints ?? []);
        Assert.Equal("endpointslice-controller.k8s.io", slices[0].Metadata.Labels["endpointslice.kubernetes.io/managed-by"]);
    }

    [Fact]
    public async Task Sync_SliceDeleted_Recreated()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointSliceController(m));
        await kubelet.RunPodAsync("web-1", "127.244.0.1");
        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "web"), CancellationToken.None);
        var first = await SlicesWhenAsync(ns, "web", s => s.Count == 1 && s[0].Endpoints?.Count == 1, "slice");

        await _fixture.Client.DeleteAsync<V1EndpointSlice>(ns, first[0].Metadata.Name, null, CancellationToken.None);

        var again = await SlicesWhenAsync(ns, "web", s => s.Count == 1 && s[0].Metadata.Name != first[0].Metadata.Name && s[0].Endpoints?.Count == 1, "recreated slice");
        Assert.Equal("127.244.0.1", again[0].Endpoints[0].Addresses[0]);
    }

    [Fact]
    public async Task Sync_ServiceDeleted_SlicesDeleted()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointSliceController(m));
        await kubelet.RunPodAsync("web-1", "127.244.0.1");
        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "web"), CancellationToken.None);
        await SlicesWhenAsync(ns, "web", s => s.Count == 1 && s[0].Endpoints?.Count == 1, "slice");

        await _fixture.Client.DeleteAsync<V1Service>(ns, "web", null, CancellationToken.None);

        await SlicesWhenAsync(ns, "web", s => s.Count == 0, "slices gone");
    }

    [Fact]
    public async Task Sync_ServiceWithoutSelectorOrExternalName_NoManagedSlices()
    {
        var (ns, kubelet) = await ArrangeAsync();
        await using var manager = await _fixture.StartAsync(null, m => new EndpointSliceController(m));
        await kubelet.RunPodAsync("web-1", "127.244.0.1");
        var external = Services.WithSelector(ns, "external");
        external.Spec.Type = "ExternalName";
        external.Spec.ExternalName = "example.com";
        external.Spec.Ports = null;

        await _fixture.Client.CreateAsync(Services.WithoutSelector(ns, "manual"), CancellationToken.None);
        await _fixture.Client.CreateAsync(external, CancellationToken.None);
        await _fixture.Client.CreateAsync(Services.WithSelector(ns, "marker"), CancellationToken.None);

        // The controller syncs in order per worker; once a later Service has its slice the others were seen.
        await SlicesWhenAsync(ns, "marker", s => s.Count == 1 && s[0].Endpoints?.Count == 1, "marker slice");
        Assert.Empty(await Services.SlicesAsync(_fixture.Client, ns, "manual"));
        Assert.Empty(await Services.SlicesAsync(_fixture.Client, ns, "external"));
    }

    private async Task<(string Namespace, FakeKubelet Kubelet)> ArrangeAsync()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var kubelet = new FakeKubelet(_fixture.Client, ns);
        await kubelet.RegisterNodeAsync();
        return (ns, kubelet);
    }

    private Task<IReadOnlyList<V1EndpointSlice>> SlicesWhenAsync(string ns, string service, Func<IReadOnlyList<V1EndpointSlice>, bool> done, string what, TimeSpan? timeout = null) =>
        Eventually.ValueAsync(
            async () =>
            {
                var slices = await Services.SlicesAsync(_fixture.Client, ns, service);
                return done(slices) ? slices : null;
            },
            what,
            timeout);

    private static bool? ReadyOf(IReadOnlyList<V1EndpointSlice> slices, string address) =>
        slices.SelectMany(s => s.Endpoints ?? []).FirstOrDefault(e => e.Addresses.Contains(address))?.Conditions?.Ready;
}
