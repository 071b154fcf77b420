using k8s.Models;

namespace Berth.Core.Tests.Tables;

public sealed class ClusterTableTests
{
    [Fact]
    public void Convert_ReadyControlPlaneNode_PrintsRolesAndWideInfo()
    {
        var node = new V1Node
        {
            Metadata = TableAssert.Meta("node-a", TimeSpan.FromDays(20), ns: null),
            Status = new V1NodeStatus
            {
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
                Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "172.18.0.2" }],
                NodeInfo = new V1NodeSystemInfo
                {
                    KubeletVersion = "v1.32.4",
                    OsImage = "Debian GNU/Linux 12 (bookworm)",
                    KernelVersion = "6.8.0",
                    ContainerRuntimeVersion = "containerd://1.7.24",
                },
            },
        };
        node.Metadata.Labels = new Dictionary<string, string> { ["node-role.kubernetes.io/control-plane"] = string.Empty, ["kubernetes.io/role"] = "edge" };

        var cells = TableAssert.Cells("", "Node", node);

        Assert.Equal(
            ["node-a", "Ready", "control-plane,edge", "20d", "v1.32.4", "172.18.0.2", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.8.0", "containerd://1.7.24"],
            cells);
    }

    [Fact]
    public void Convert_CordonedNodeWithoutConditions_IsUnknownSchedulingDisabled()
    {
        var node = new V1Node { Metadata = TableAssert.Meta("node-b", TimeSpan.FromHours(1), ns: null), Spec = new V1NodeSpec { Unschedulable = true } };

        var cells = TableAssert.Cells("", "Node", node);

        Assert.Equal(["node-b", "Unknown,SchedulingDisabled", "<none>", "60m", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"], cells);
    }

    [Fact]
    public void Convert_Event_PrintsLikeKubectlGetEvents()
    {
        var ev = new Corev1Event
        {
            Metadata = TableAssert.Meta("web.17f0", TimeSpan.FromMinutes(10)),
            Type = "Normal",
            Reason = "Scheduled",
            Message = "Successfully assigned default/web-1 to node-a\n",
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "web-1", FieldPath = "spec.containers{app}" },
            Source = new V1EventSource { Component = "default-scheduler" },
            FirstTimestamp = TableAssert.Ago(TimeSpan.FromMinutes(10)),
            LastTimestamp = TableAssert.Ago(TimeSpan.FromSeconds(30)),
            Count = 4,
        };

        var cells = TableAssert.Cells("", "Event", ev);

        Assert.Equal(
            ["30s", "Normal", "Scheduled", "pod/web-1", "spec.containers{app}", "default-scheduler", "Successfully assigned default/web-1 to node-a", "10m", "4", "web.17f0"],
            cells);
        Assert.Equal(["30s", "Normal", "Scheduled", "pod/web-1", "Successfully assigned default/web-1 to node-a"], TableAssert.NarrowCells("", "Event", ev));
    }

    [Fact]
    public void Convert_NewStyleEvent_UsesEventTimeReportingAndCountOne()
    {
        var ev = new Corev1Event
        {
            Metadata = TableAssert.Meta("e", TimeSpan.FromMinutes(2)),
            Type = "Warning",
            Reason = "BackOff",
            InvolvedObject = new V1ObjectReference { Kind = "Node" },
            EventTime = TableAssert.Ago(TimeSpan.FromSeconds(90)),
            ReportingComponent = "kubelet",
            ReportingInstance = "node-a",
        };

        var cells = TableAssert.Cells("", "Event", ev);

        Assert.Equal(["90s", "Warning", "BackOff", "node", "", "kubelet, node-a", "", "90s", "1", "e"], cells);
    }

    [Fact]
    public void Convert_Namespace_PrintsPhase()
    {
        var ns = new V1Namespace { Metadata = TableAssert.Meta("default", TimeSpan.FromDays(400), ns: null), Status = new V1NamespaceStatus { Phase = "Active" } };

        var cells = TableAssert.Cells("", "Namespace", ns);

        Assert.Equal(["default", "Active", "400d"], cells);
    }

    [Fact]
    public void Convert_Lease_PrintsHolder()
    {
        var lease = new V1Lease { Metadata = TableAssert.Meta("node-a", TimeSpan.FromMinutes(9) + TimeSpan.FromSeconds(5)), Spec = new V1LeaseSpec { HolderIdentity = "node-a" } };

        var cells = TableAssert.Cells("coordination.k8s.io", "Lease", lease);

        Assert.Equal(["node-a", "node-a", "9m5s"], cells);
    }

    [Fact]
    public void Convert_ConfigMap_CountsDataAndBinaryData()
    {
        var configMap = new V1ConfigMap
        {
            Metadata = TableAssert.Meta("settings", TimeSpan.FromHours(30)),
            Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
            BinaryData = new Dictionary<string, byte[]> { ["c"] = [1] },
        };

        var table = TableAssert.Convert("", "ConfigMap", configMap);

        Assert.Equal("[\"settings\",3,\"30h\"]", table["rows"]![0]!["cells"]!.ToJsonString());
    }
}
