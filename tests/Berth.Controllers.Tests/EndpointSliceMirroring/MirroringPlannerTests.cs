using Berth.Controllers.Common;
using Berth.Controllers.EndpointSliceMirroring;
using Berth.Controllers.EndpointSlices;
using k8s.Models;
using static Berth.Controllers.Tests.Fixtures.Objects;

namespace Berth.Controllers.Tests.EndpointSliceMirroring;

public sealed class MirroringPlannerTests
{
    private static V1Service Selectorless()
    {
        var service = Service("external");
        service.Spec.Selector = null;
        return service;
    }

    private static V1Endpoints UserEndpoints(params string[] ips) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "external",
            NamespaceProperty = "default",
            Uid = "ep-uid",
            Labels = new Dictionary<string, string> { ["team"] = "db" },
            Annotations = new Dictionary<string, string> { ["note"] = "hand-made", ["endpoints.kubernetes.io/last-change-trigger-time"] = "x" },
        },
        Subsets =
        [
            new V1EndpointSubset
            {
                Addresses = [.. ips.Select(ip => new V1EndpointAddress { Ip = ip })],
                Ports = [new Corev1EndpointPort { Name = "pg", Port = 5432, Protocol = "TCP" }],
            },
        ],
    };

    private static List<V1EndpointSlice> Stored(EndpointSlicePlan plan) =>
        [.. plan.ToCreate.Concat(plan.ToUpdate).Select(ObjectCopy.Clone).Select((s, i) =>
        {
            s.Metadata.Name ??= s.Metadata.GenerateName + "m" + i;
            return s;
        })];

    [Fact]
    public void Plan_NewEndpoints_CreatesMirroredSlice()
    {
        var plan = MirroringPlanner.Plan(Selectorless(), UserEndpoints("192.168.1.10", "192.168.1.11"), []);

        var slice = Assert.Single(plan.ToCreate);
        Assert.Equal("external-", slice.Metadata.GenerateName);
        Assert.Equal("IPv4", slice.AddressType);
        Assert.Equal(["192.168.1.10", "192.168.1.11"], slice.Endpoints.Select(e => e.Addresses[0]));
        Assert.All(slice.Endpoints, e => Assert.True(e.Conditions.Ready));
        Assert.Equal("pg:5432", $"{slice.Ports[0].Name}:{slice.Ports[0].Port}");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["team"] = "db",
                ["kubernetes.io/service-name"] = "external",
                ["endpointslice.kubernetes.io/managed-by"] = "endpointslicemirroring-controller.k8s.io",
            },
            slice.Metadata.Labels);
        Assert.Equal(new Dictionary<string, string> { ["note"] = "hand-made" }, slice.Metadata.Annotations);
        Assert.Equal(("Endpoints", "ep-uid", true), (slice.Metadata.OwnerReferences[0].Kind, slice.Metadata.OwnerReferences[0].Uid, slice.Metadata.OwnerReferences[0].Controller));
    }

    [Fact]
    public void Plan_EndpointsChanged_UpdatesSliceInPlaceAndUnchangedIsNoOp()
    {
        var existing = Stored(MirroringPlanner.Plan(Selectorless(), UserEndpoints("192.168.1.10"), []));

        var same = MirroringPlanner.Plan(Selectorless(), UserEndpoints("192.168.1.10"), existing);
        var changed = MirroringPlanner.Plan(Selectorless(), UserEndpoints("192.168.1.10", "192.168.1.12"), existing);

        Assert.True(same.IsEmpty);
        var updated = Assert.Single(changed.ToUpdate);
        Assert.Equal(existing[0].Metadata.Name, updated.Metadata.Name);
        Assert.Equal(2, updated.Endpoints.Count);
        Assert.Empty(changed.ToCreate);
    }

    [Fact]
    public void Plan_EndpointsDeletedOrServiceGainsSelector_DeletesSlices()
    {
        var existing = Stored(MirroringPlanner.Plan(Selectorless(), UserEndpoints("192.168.1.10"), []));

        var gone = MirroringPlanner.Plan(Selectorless(), null, existing);
        var selected = MirroringPlanner.Plan(Service("external"), UserEndpoints("192.168.1.10"), existing);
        var noService = MirroringPlanner.Plan(null, UserEndpoints("192.168.1.10"), existing);

        Assert.Single(gone.ToDelete);
        Assert.Single(selected.ToDelete);
        Assert.Single(noService.ToDelete);
    }

    [Fact]
    public void Plan_SkipMirrorLabel_NothingMirroredAndExistingDeleted()
    {
        var endpoints = UserEndpoints("192.168.1.10");
        var existing = Stored(MirroringPlanner.Plan(Selectorless(), endpoints, []));
        endpoints.Metadata.Labels["endpointslice.kubernetes.io/skip-mirror"] = "true";

        var fresh = MirroringPlanner.Plan(Selectorless(), endpoints, []);
        var stale = MirroringPlanner.Plan(Selectorless(), endpoints, existing);

        Assert.True(fresh.IsEmpty);
        Assert.Single(stale.ToDelete);
        Assert.Empty(stale.ToCreate);
    }

    [Fact]
    public void Plan_MixedFamiliesAndInvalidIp_OneSlicePerFamily()
    {
        var plan = MirroringPlanner.Plan(Selectorless(), UserEndpoints("192.168.1.10", "fd00::10", "not-an-ip"), []);

        Assert.Equal(["IPv4:192.168.1.10", "IPv6:fd00::10"], plan.ToCreate.Select(s => s.AddressType + ":" + string.Join(",", s.Endpoints.Select(e => e.Addresses[0]))).Order(StringComparer.Ordinal));
    }
}
