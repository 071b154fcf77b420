using k8s.Models;

namespace Berth.Core.Tests.Tables;

public sealed class ServiceTableTests
{
    [Fact]
    public void Convert_NodePort_PrintsLikeKubectl()
    {
        var service = new V1Service
        {
            Metadata = TableAssert.Meta("web", TimeSpan.FromMinutes(5)),
            Spec = new V1ServiceSpec
            {
                Type = "NodePort",
                ClusterIP = "10.96.0.12",
                ClusterIPs = ["10.96.0.12"],
                Selector = new Dictionary<string, string> { ["app"] = "web" },
                Ports = [new V1ServicePort { Port = 80, NodePort = 30080, Protocol = "TCP" }],
            },
        };

        var cells = TableAssert.Cells("", "Service", service);

        Assert.Equal(["web", "NodePort", "10.96.0.12", "<none>", "80:30080/TCP", "5m", "app=web"], cells);
    }

    [Fact]
    public void Convert_LoadBalancerWithoutIngress_IsPending()
    {
        var service = new V1Service
        {
            Metadata = TableAssert.Meta("lb", TimeSpan.FromSeconds(30)),
            Spec = new V1ServiceSpec
            {
                Type = "LoadBalancer",
                ClusterIPs = ["10.96.0.20"],
                Ports =
                [
                    new V1ServicePort { Port = 80, NodePort = 31000, Protocol = "TCP" },
                    new V1ServicePort { Port = 443, Protocol = "TCP" },
                ],
            },
        };

        var cells = TableAssert.Cells("", "Service", service);

        Assert.Equal(["lb", "LoadBalancer", "10.96.0.20", "<pending>", "80:31000/TCP,443/TCP", "30s", "<none>"], cells);
    }

    [Fact]
    public void Convert_LoadBalancerWithIngress_JoinsSortedIPsThenExternalIPs()
    {
        var service = new V1Service
        {
            Metadata = TableAssert.Meta("lb", TimeSpan.FromHours(2)),
            Spec = new V1ServiceSpec
            {
                Type = "LoadBalancer",
                ClusterIPs = ["10.96.0.20"],
                ExternalIPs = ["192.0.2.9"],
                Ports = [new V1ServicePort { Port = 53, Protocol = "UDP" }],
            },
            Status = new V1ServiceStatus
            {
                LoadBalancer = new V1LoadBalancerStatus
                {
                    Ingress = [new V1LoadBalancerIngress { Ip = "203.0.113.7" }, new V1LoadBalancerIngress { Ip = "198.51.100.1" }],
                },
            },
        };

        var cells = TableAssert.Cells("", "Service", service);

        Assert.Equal("198.51.100.1,203.0.113.7,192.0.2.9", cells[3]);
        Assert.Equal("53/UDP", cells[4]);
        Assert.Equal("120m", cells[5]);
    }

    [Fact]
    public void Convert_HeadlessWithoutPorts_PrintsNoneAndNone()
    {
        var service = new V1Service
        {
            Metadata = TableAssert.Meta("db", TimeSpan.FromDays(3)),
            Spec = new V1ServiceSpec { Type = "ClusterIP", ClusterIPs = ["None"] },
        };

        var cells = TableAssert.Cells("", "Service", service);

        Assert.Equal(["db", "ClusterIP", "None", "<none>", "<none>", "3d", "<none>"], cells);
    }

    [Fact]
    public void Convert_ExternalName_PrintsExternalName()
    {
        var service = new V1Service
        {
            Metadata = TableAssert.Meta("ext", TimeSpan.FromMinutes(1)),
            Spec = new V1ServiceSpec { Type = "ExternalName", ExternalName = "example.com" },
        };

        var cells = TableAssert.Cells("", "Service", service);

        Assert.Equal(["ext", "ExternalName", "<none>", "example.com", "<none>", "60s", "<none>"], cells);
    }
}
