using k8s.Models;

namespace Berth.Core.Tests.Tables;

public sealed class StatefulSetTableTests
{
    private static V1PodTemplateSpec Template() => new()
    {
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }, new V1Container { Name = "log", Image = "busybox" }] },
    };

    [Fact]
    public void Convert_StatefulSet_PrintsReadyOfDesiredAndWideContainers()
    {
        var set = new V1StatefulSet
        {
            Metadata = TableAssert.Meta("web", TimeSpan.FromMinutes(5)),
            Spec = new V1StatefulSetSpec { Replicas = 3, Template = Template() },
            Status = new V1StatefulSetStatus { ReadyReplicas = 2 },
        };

        var cells = TableAssert.Cells("apps", "StatefulSet", set);

        Assert.Equal(["web", "2/3", "5m", "web,log", "nginx:1.27,busybox"], cells);
    }

    [Fact]
    public void Convert_ControllerRevision_PrintsKindGroupSlashName()
    {
        var revision = new V1ControllerRevision
        {
            Metadata = TableAssert.Meta("web-7b9c", TimeSpan.FromHours(2)),
            Revision = 3,
        };
        revision.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = "web", Uid = "u", Controller = true }];

        var cells = TableAssert.Cells("apps", "ControllerRevision", revision);

        Assert.Equal(["web-7b9c", "statefulset.apps/web", "3", "120m"], cells);
    }

    [Fact]
    public void Convert_ReplicationController_PrintsCountsAndWideSelector()
    {
        var rc = new V1ReplicationController
        {
            Metadata = TableAssert.Meta("web", TimeSpan.FromSeconds(30)),
            Spec = new V1ReplicationControllerSpec { Replicas = 3, Selector = new Dictionary<string, string> { ["tier"] = "a", ["app"] = "web" }, Template = Template() },
            Status = new V1ReplicationControllerStatus { Replicas = 3, ReadyReplicas = 1 },
        };

        var cells = TableAssert.Cells("", "ReplicationController", rc);

        Assert.Equal(["web", "3", "3", "1", "30s", "web,log", "nginx:1.27,busybox", "app=web,tier=a"], cells);
    }
}
