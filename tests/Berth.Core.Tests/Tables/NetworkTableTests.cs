using k8s.Models;

namespace Berth.Core.Tests.Tables;

public sealed class NetworkTableTests
{
    [Fact]
    public void Convert_EndpointsWithFewAddresses_ListsAll()
    {
        var endpoints = new V1Endpoints
        {
            Metadata = TableAssert.Meta("web", TimeSpan.FromMinutes(3)),
            Subsets =
            [
                new V1EndpointSubset
                {
                    Addresses = [new V1EndpointAddress { Ip = "10.244.0.5" }, new V1EndpointAddress { Ip = "fd00::5" }],
                    Ports = [new Corev1EndpointPort { Port = 8080 }],
                },
            ],
        };

        var cells = TableAssert.Cells("", "Endpoints", endpoints);

        Assert.Equal(["web", "10.244.0.5:8080,[fd00::5]:8080", "3m"], cells);
    }

    [Fact]
    public void Convert_EndpointsWithManyAddresses_ShowsFirstThreeAndMore()
    {
        var endpoints = new V1Endpoints
        {
            Metadata = TableAssert.Meta("web", TimeSpan.FromMinutes(3)),
            Subsets =
            [
                new V1EndpointSubset
                {
                    Addresses = [.. Enumerable.Range(1, 3).Select(i => new V1EndpointAddress { Ip = $"10.0.0.{i}" })],
                    Ports = [new Corev1EndpointPort { Port = 80 }, new Corev1EndpointPort { Port = 443 }],
                },
            ],
        };

        var cells = TableAssert.Cells("", "Endpoints", endpoints);

        Assert.Equal("10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 3 more...", cells[1]);
    }

    [Fact]
    public void Convert_EndpointsWithoutSubsets_IsNone()
    {
        var endpoints = new V1Endpoints { Metadata = TableAssert.Meta("web", TimeSpan.FromMinutes(3)) };

        var cells = TableAssert.Cells("", "Endpoints", endpoints);

        Assert.Equal("<none>", cells[1]);
    }

    [Fact]
    public void Convert_EndpointSlice_PrintsPortsAndEndpoints()
    {
        var slice = new V1EndpointSlice
        {
            Metadata = TableAssert.Meta("web-abc12", TimeSpan.FromMinutes(7)),
            AddressType = "IPv4",
            Ports = [new Discoveryv1EndpointPort { Port = 80 }, new Discoveryv1EndpointPort { Name = "metrics" }],
            Endpoints = [.. Enumerable.Range(1, 5).Select(i => new V1Endpoint { Addresses = [$"10.0.0.{i}"] })],
        };

        var cells = TableAssert.Cells("discovery.k8s.io", "EndpointSlice", slice);

        Assert.Equal(["web-abc12", "IPv4", "80,metrics", "10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...", "7m"], cells);
    }

    [Fact]
    public void Convert_EmptyEndpointSlice_IsUnset()
    {
        var slice = new V1EndpointSlice { Metadata = TableAssert.Meta("empty", TimeSpan.FromMinutes(7)), AddressType = "IPv4" };

        var cells = TableAssert.Cells("discovery.k8s.io", "EndpointSlice", slice);

        Assert.Equal(["empty", "IPv4", "<unset>", "<unset>", "7m"], cells);
    }
}
