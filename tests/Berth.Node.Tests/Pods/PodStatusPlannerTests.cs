using Berth.Node.Pods;
using k8s.Models;

namespace Berth.Node.Tests.Pods;

public sealed class PodStatusPlannerTests
{
    [Theory]
    [InlineData("Always", "running", "Running")]
    [InlineData("Always", "waiting", "Pending")]
    [InlineData("Always", "exit0", "Running")]
    [InlineData("OnFailure", "exit0", "Succeeded")]
    [InlineData("OnFailure", "exit1", "Running")]
    [InlineData("Never", "exit1", "Failed")]
    [InlineData("Never", "exit0", "Succeeded")]
    [InlineData("Always", "crashloop", "Running")]
    public void Phase_FollowsGetPhase(string restartPolicy, string state, string phase)
    {
        var spec = Spec(restartPolicy, init: 0);

        Assert.Equal(phase, PodStatusPlanner.Phase(spec, [], [Status("main", state)], podIsTerminal: false));
    }

    [Fact]
    public void Phase_TerminalPod_IsFailedUnlessEveryContainerSucceeded()
    {
        var spec = Spec("Always", init: 0);

        Assert.Equal("Failed", PodStatusPlanner.Phase(spec, [], [Status("main", "exit1")], podIsTerminal: true));
        Assert.Equal("Succeeded", PodStatusPlanner.Phase(spec, [], [Status("main", "exit0")], podIsTerminal: true));
    }

    [Fact]
    public void Phase_FailedInitContainer_FailsAPodThatNeverRestarts()
    {
        var spec = Spec("Never", init: 1);

        Assert.Equal("Failed", PodStatusPlanner.Phase(spec, [Status("init0", "exit1")], [Status("main", "waiting")], podIsTerminal: false));
        Assert.Equal("Pending", PodStatusPlanner.Phase(Spec("Always", init: 1), [Status("init0", "running")], [Status("main", "waiting")], podIsTerminal: false));
    }

    [Fact]
    public void Conditions_NameTheUnreadyAndIncompleteContainers()
    {
        var spec = Spec("Always", init: 1);
        spec.Containers.Add(new V1Container { Name = "side" });

        var conditions = PodStatusPlanner.Conditions(spec, [Status("init0", "running")], [Status("main", "waiting"), Status("side", "waiting")], "Pending", sandboxReady: true);

        Assert.Equal(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"], conditions.Select(c => c.Type));
        Assert.Equal("True", conditions[0].Status);
        Assert.Equal(("False", "ContainersNotInitialized", "containers with incomplete status: [init0]"), (conditions[1].Status, conditions[1].Reason, conditions[1].Message));
        Assert.Equal(("False", "ContainersNotReady", "containers with unready status: [main side]"), (conditions[2].Status, conditions[2].Reason, conditions[2].Message));
    }

    [Fact]
    public void Conditions_SucceededPod_IsNotReadyWithPodCompleted()
    {
        var conditions = PodStatusPlanner.Conditions(Spec("OnFailure", init: 0), [], [Status("main", "exit0")], "Succeeded", sandboxReady: false);

        Assert.Equal(("False", "PodCompleted"), (conditions[2].Status, conditions[2].Reason));
        Assert.Equal(("True", "PodCompleted"), (conditions[1].Status, conditions[1].Reason));
    }

    private static V1PodSpec Spec(string restartPolicy, int init) => new()
    {
        RestartPolicy = restartPolicy,
        InitContainers = [.. Enumerable.Range(0, init).Select(i => new V1Container { Name = "init" + i })],
        Containers = [new V1Container { Name = "main" }],
    };

    private static V1ContainerStatus Status(string name, string state) => new()
    {
        Name = name,
        Ready = state == "ready",
        State = state switch
        {
            "running" or "ready" => new V1ContainerState { Running = new V1ContainerStateRunning() },
            "exit0" => new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 0 } },
            "exit1" => new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1 } },
            _ => new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = state == "crashloop" ? "CrashLoopBackOff" : "ContainerCreating" } },
        },
        LastState = state == "crashloop" ? new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1 } } : new V1ContainerState(),
    };
}
