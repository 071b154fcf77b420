using k8s.Models;

namespace Berth.Core.Tests.Tables;

public sealed class PodTableTests
{
    [Fact]
    public void Convert_RunningReadyPod_Prints1of1Running()
    {
        var pod = Pod("web-1", "Running", [Running("app", ready: true)]);
        pod.Status.PodIPs = [new V1PodIP { Ip = "10.244.0.5" }];
        pod.Spec.NodeName = "node-a";

        var cells = TableAssert.Cells("", "Pod", pod);

        Assert.Equal(["web-1", "1/1", "Running", "0", "5m", "10.244.0.5", "node-a", "<none>", "<none>"], cells);
    }

    [Fact]
    public void Convert_CrashLoopBackOff_PrintsReasonAndRestartsAgo()
    {
        var status = new V1ContainerStatus
        {
            Name = "app",
            RestartCount = 5,
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } },
            LastState = new V1ContainerState
            {
                Terminated = new V1ContainerStateTerminated { ExitCode = 1, Reason = "Error", FinishedAt = TableAssert.Ago(TimeSpan.FromSeconds(40)) },
            },
        };
        var pod = Pod("crash", "Running", [status]);

        var cells = TableAssert.NarrowCells("", "Pod", pod);

        Assert.Equal(["crash", "0/1", "CrashLoopBackOff", "5 (40s ago)", "5m"], cells);
    }

    [Fact]
    public void Convert_DeletionTimestampOnRunningPod_IsTerminating()
    {
        var pod = Pod("web-2", "Running", [Running("app", ready: true)]);
        pod.Metadata.DeletionTimestamp = TableAssert.Ago(TimeSpan.FromSeconds(1));

        var cells = TableAssert.NarrowCells("", "Pod", pod);

        Assert.Equal("Terminating", cells[2]);
    }

    [Fact]
    public void Convert_FirstInitContainerRunning_IsInit0of1()
    {
        var pod = Pod("init", "Pending", [new V1ContainerStatus
        {
            Name = "app",
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "PodInitializing" } },
        }]);
        pod.Spec.InitContainers = [new V1Container { Name = "setup", Image = "busybox" }];
        pod.Status.InitContainerStatuses = [Running("setup", ready: false)];

        var cells = TableAssert.NarrowCells("", "Pod", pod);

        Assert.Equal(["init", "0/1", "Init:0/1", "0", "5m"], cells);
    }

    [Fact]
    public void Convert_FailedInitContainer_IsInitError()
    {
        var pod = Pod("init", "Pending", []);
        pod.Spec.InitContainers = [new V1Container { Name = "setup" }];
        pod.Status.InitContainerStatuses =
        [
            new V1ContainerStatus
            {
                Name = "setup",
                RestartCount = 2,
                State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1, Reason = "Error" } },
            },
        ];

        var cells = TableAssert.NarrowCells("", "Pod", pod);

        Assert.Equal("Init:Error", cells[2]);
        Assert.Equal("2", cells[3]);
    }

    [Fact]
    public void Convert_SucceededPod_IsCompletedWithRowCondition()
    {
        var pod = Pod("job", "Succeeded", [new V1ContainerStatus
        {
            Name = "app",
            State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 0, Reason = "Completed" } },
        }]);

        var table = TableAssert.Convert("", "Pod", pod);

        var row = table["rows"]![0]!;
        Assert.Equal("Completed", row["cells"]![2]!.ToString());
        Assert.Equal("0/1", row["cells"]![1]!.ToString());
        Assert.Equal("Succeeded", row["conditions"]![0]!["reason"]!.ToString());
        Assert.Equal("Completed", row["conditions"]![0]!["type"]!.ToString());
    }

    [Fact]
    public void Convert_TerminatedWithoutReason_PrintsExitCode()
    {
        var pod = Pod("oom", "Failed", [new V1ContainerStatus
        {
            Name = "app",
            State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 137 } },
        }]);
        pod.Metadata.DeletionTimestamp = TableAssert.Ago(TimeSpan.FromSeconds(1));

        var cells = TableAssert.NarrowCells("", "Pod", pod);

        Assert.Equal("ExitCode:137", cells[2]);
    }

    [Fact]
    public void Convert_ReadinessGates_CountsTrueConditions()
    {
        var pod = Pod("gated", "Running", [Running("app", ready: true)]);
        pod.Spec.ReadinessGates = [new V1PodReadinessGate { ConditionType = "example.com/lb" }, new V1PodReadinessGate { ConditionType = "example.com/dns" }];
        pod.Status.Conditions = [new V1PodCondition { Type = "example.com/lb", Status = "True" }];

        var cells = TableAssert.Cells("", "Pod", pod);

        Assert.Equal("1/2", cells[8]);
    }

    [Fact]
    public void Columns_NamesTypesAndPriorities_MatchPrinters()
    {
        var table = TableAssert.Convert("", "Pod");

        var columns = table["columnDefinitions"]!.AsArray()
            .Select(c => $"{c!["name"]}|{c["type"]}|{c["format"]}|{c["priority"]}")
            .ToArray();
        Assert.Equal(
            [
                "Name|string|name|0", "Ready|string||0", "Status|string||0", "Restarts|string||0", "Age|string||0",
                "IP|string||1", "Node|string||1", "Nominated Node|string||1", "Readiness Gates|string||1",
            ],
            columns);
    }

    private static V1Pod Pod(string name, string phase, IList<V1ContainerStatus> statuses) => new()
    {
        Metadata = TableAssert.Meta(name, TimeSpan.FromMinutes(5)),
        Spec = new V1PodSpec { Containers = [.. statuses.Select(s => new V1Container { Name = s.Name, Image = "nginx" })] },
        Status = new V1PodStatus { Phase = phase, ContainerStatuses = statuses },
    };

    private static V1ContainerStatus Running(string name, bool ready) => new()
    {
        Name = name,
        Ready = ready,
        Started = true,
        State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = TableAssert.Ago(TimeSpan.FromMinutes(4)) } },
    };
}
