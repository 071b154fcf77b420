using Berth.Controllers.Endpoints;
using Berth.Controllers.EndpointSliceMirroring;
using Berth.Controllers.EndpointSlices;
using Berth.Controllers.Tests.Endpoints;
using Berth.Controllers.Tests.EndpointSlices;
using Berth.Controllers.Tests.Integration;
using k8s.Models;

namespace Berth.Controllers.Tests.EndpointSliceMirroring;

/// <summary>The mirroring controller against the real API server, with the other endpoint controllers running beside it.</summary>
public sealed class MirroringControllerIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private const string ManagedByMirroring = "endpointslicemirroring-controller.k8s.io";

    private readonly ControlPlaneFixture _fixture;

    public MirroringControllerIntegrationTests(ControlPlaneFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Mirror_UserEndpointsCreatedUpdatedDeleted_SlicesFollow()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(
            null, m => new MirroringController(m), m => new EndpointsController(m), m => new EndpointSliceController(m));
        await _fixture.Client.CreateAsync(Services.WithoutSelector(ns, "external"), CancellationToken.None);

        var created = await _fixture.Client.CreateAsync(EndpointsControllerIntegrationTests.UserEndpoints(ns, "external", "127.244.0.10"), CancellationToken.None);
        var first = await SlicesWhenAsync(ns, s => s.Count == 1 && s[0].Endpoints?.Count == 1, "mirrored slice");
        created.Subsets[0].Addresses.Add(new V1EndpointAddress { Ip = "127.244.0.11" });
        await _fixture.Client.UpdateAsync(created, CancellationToken.None);
        var second = await SlicesWhenAsync(ns, s => s.Count == 1 && s[0].Endpoints?.Count == 2, "updated slice");
        await _fixture.Client.DeleteAsync<V1Endpoints>(ns, "external", null, CancellationToken.None);
        await SlicesWhenAsync(ns, s => s.Count == 0, "mirrored slices deleted");

        var slice = first[0];
        Assert.Equal("127.244.0.10", slice.Endpoints[0].Addresses[0]);
        Assert.Equal(true, slice.Endpoints[0].Conditions.Ready);
        Assert.Equal(("http", 8080, "TCP"), (slice.Ports.Single().Name, slice.Ports.Single().Port, slice.Ports.Single().Protocol));
        Assert.Equal("IPv4", slice.AddressType);
        Assert.Equal(slice.Metadata.Name, second[0].Metadata.Name);
        Assert.Equal(["127.244.0.10", "127.244.0.11"], second[0].Endpoints.Select(e => e.Addresses[0]).Order(StringComparer.Ordinal));
        Assert.Empty(await Services.SlicesAsync(_fixture.Client, ns, "external"));
    }

    [Fact]
    public async Task Mirror_ServiceDeleted_MirroredSlicesDeleted()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new MirroringController(m));
        await _fixture.Client.CreateAsync(Services.WithoutSelector(ns, "external"), CancellationToken.None);
        await _fixture.Client.CreateAsync(EndpointsControllerIntegrationTests.UserEndpoints(ns, "external", "127.244.0.10"), CancellationToken.None);
        await SlicesWhenAsync(ns, s => s.Count == 1, "mirrored slice");

        await _fixture.Client.DeleteAsync<V1Service>(ns, "external", null, CancellationToken.None);

        await SlicesWhenAsync(ns, s => s.Count == 0, "mirrored slices deleted");
    }

    private Task<IReadOnlyList<V1EndpointSlice>> SlicesWhenAsync(string ns, Func<IReadOnlyList<V1EndpointSlice>, bool> done, string what) =>
        Eventually.ValueAsync(
            async () =>
            {
                var slices = await Services.SlicesAsync(_fixture.Client, ns, "external", ManagedByMirroring);
                return done(slices) ? slices : null;
            },
            what);
}
