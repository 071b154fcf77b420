using k8s.Models;

namespace Berth.Core.Tests.Tables;

public sealed class WorkloadTableTests
{
    [Fact]
    public void Convert_Deployment_Prints2of3()
    {
        var deployment = new V1Deployment
        {
            Metadata = TableAssert.Meta("web", TimeSpan.FromMinutes(12)),
            Spec = new V1DeploymentSpec
            {
                Replicas = 3,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec
                    {
                        Containers = [new V1Container { Name = "nginx", Image = "nginx:1.27" }, new V1Container { Name = "sidecar", Image = "envoy:1" }],
                    },
                },
            },
            Status = new V1DeploymentStatus { ReadyReplicas = 2, UpdatedReplicas = 3, AvailableReplicas = 2 },
        };

        var cells = TableAssert.Cells("apps", "Deployment", deployment);

        Assert.Equal(["web", "2/3", "3", "2", "12m", "nginx,sidecar", "nginx:1.27,envoy:1", "app=web"], cells);
    }

    [Fact]
    public void Convert_DeploymentWithoutStatus_PrintsZeroes()
    {
        var deployment = new V1Deployment { Metadata = TableAssert.Meta("new", TimeSpan.FromSeconds(3)), Spec = new V1DeploymentSpec() };

        var cells = TableAssert.NarrowCells("apps", "Deployment", deployment);

        Assert.Equal(["new", "0/1", "0", "0", "3s"], cells);
    }

    [Fact]
    public void Convert_DeploymentCells_UpToDateIsANumber()
    {
        var deployment = new V1Deployment { Metadata = TableAssert.Meta("new", TimeSpan.FromSeconds(3)), Spec = new V1DeploymentSpec { Replicas = 2 } };

        var table = TableAssert.Convert("apps", "Deployment", deployment);

        Assert.Equal("[\"new\",\"0/2\",0,0,\"3s\",\"\",\"\",\"\"]", table["rows"]![0]!["cells"]!.ToJsonString());
    }

    [Fact]
    public void Convert_ReplicaSet_PrintsIntegerCellsAndSelector()
    {
        var replicaSet = new V1ReplicaSet
        {
            Metadata = TableAssert.Meta("web-5d8f", TimeSpan.FromHours(5)),
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 3,
                Selector = new V1LabelSelector
                {
                    MatchLabels = new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = "5d8f" },
                },
                Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "nginx", Image = "nginx" }] } },
            },
            Status = new V1ReplicaSetStatus { Replicas = 3, ReadyReplicas = 1 },
        };

        var table = TableAssert.Convert("apps", "ReplicaSet", replicaSet);

        Assert.Equal(
            "[\"web-5d8f\",3,3,1,\"5h\",\"nginx\",\"nginx\",\"app=web,pod-template-hash=5d8f\"]",
            table["rows"]![0]!["cells"]!.ToJsonString());
    }

    [Fact]
    public void Convert_ReplicaSetWithoutSelector_PrintsNone()
    {
        var replicaSet = new V1ReplicaSet { Metadata = TableAssert.Meta("rs", TimeSpan.FromDays(10)), Spec = new V1ReplicaSetSpec { Replicas = 0 } };

        var cells = TableAssert.Cells("apps", "ReplicaSet", replicaSet);

        Assert.Equal(["rs", "0", "0", "0", "10d", "", "", "<none>"], cells);
    }
}
