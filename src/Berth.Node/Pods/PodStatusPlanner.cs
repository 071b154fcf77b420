using k8s.Models;

namespace Berth.Node.Pods;

/// <summary>
/// The pod phase and the kubelet-owned conditions from the container statuses, as pkg/kubelet/kubelet_pods.go
/// (<c>getPhase</c>) and pkg/kubelet/status/generate.go (<c>GeneratePodReadyToStartContainersCondition</c>,
/// <c>GeneratePodInitializedCondition</c>, <c>GenerateContainersReadyCondition</c>, <c>GeneratePodReadyCondition</c>).
/// Pure; transition times are set when the status is written.
/// </summary>
internal static class PodStatusPlanner
{
    public const string PodReadyToStartContainers = "PodReadyToStartContainers";
    public const string Initialized = "Initialized";
    public const string ContainersReady = "ContainersReady";
    public const string Ready = "Ready";

    /// <summary>The condition types the kubelet owns, in the order it writes them.</summary>
    public static readonly string[] OwnedConditions = [PodReadyToStartContainers, Initialized, Ready, ContainersReady];

    public static string Phase(V1PodSpec spec, IReadOnlyList<V1ContainerStatus> init, IReadOnlyList<V1ContainerStatus> app, bool podIsTerminal)
    {
        var pendingInitialization = 0;
        var failedInitialization = 0;
        foreach (var container in spec.InitContainers ?? [])
        {
            var status = Find(init, container.Name);
            if (status?.State is not { } state)
            {
                pendingInitialization++;
            }
            else if (state.Running is not null)
            {
                pendingInitialization++;
            }
            else if (state.Terminated is { } terminated)
            {
                if (terminated.ExitCode != 0)
                {
                    failedInitialization++;
                }
            }
            else if (state.Waiting is not null)
            {
                if (status.LastState?.Terminated is { } last)
                {
                    if (last.ExitCode != 0)
                    {
                        failedInitialization++;
                    }
                }
                else
                {
                    pendingInitialization++;
                }
            }
            else
            {
                pendingInitialization++;
            }
        }

        int unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0;
        foreach (var container in spec.Containers ?? [])
        {
            var status = Find(app, container.Name);
            if (status?.State is not { } state)
            {
                unknown++;
            }
            else if (state.Running is not null)
            {
                running++;
            }
            else if (state.Terminated is { } terminated)
            {
                stopped++;
                if (terminated.ExitCode == 0)
                {
                    succeeded++;
                }
            }
            else if (state.Waiting is not null)
            {
                if (status.LastState?.Terminated is not null)
                {
                    stopped++;
                }
                else
                {
                    waiting++;
                }
            }
            else
            {
                unknown++;
            }
        }

        var restartPolicy = spec.RestartPolicy ?? "Always";
        if (failedInitialization > 0 && restartPolicy == "Never")
        {
            return "Failed";
        }

        if ((pendingInitialization > 0 && !AnyRegularContainerStarted(app)) || waiting > 0)
        {
            return "Pending";
        }

        if (running > 0 && unknown == 0)
        {
            return "Running";
        }

        if (running == 0 && stopped > 0 && unknown == 0)
        {
            if (podIsTerminal)
            {
                return stopped == succeeded ? "Succeeded" : "Failed";
            }

            if (restartPolicy == "Always")
            {
                return "Running";
            }

            if (stopped == succeeded)
            {
                return "Succeeded";
            }

            return restartPolicy == "Never" ? "Failed" : "Running";
        }

        return "Pending";
    }

    /// <summary>The kubelet-owned conditions in <see cref="OwnedConditions"/> order, without transition times.</summary>
    public static List<V1PodCondition> Conditions(V1PodSpec spec, IReadOnlyList<V1ContainerStatus> init, IReadOnlyList<V1ContainerStatus> app, string phase, bool sandboxReady)
    {
        var containersReady = ContainersReadyCondition(spec, app, phase);
        var ready = new V1PodCondition
        {
            Type = Ready,
            Status = containersReady.Status,
            Reason = containersReady.Reason,
            Message = containersReady.Message,
        };
        return
        [
            new V1PodCondition { Type = PodReadyToStartContainers, Status = sandboxReady ? "True" : "False" },
            InitializedCondition(spec, init, app, phase),
            ready,
            containersReady,
        ];
    }

    private static V1PodCondition InitializedCondition(V1PodSpec spec, IReadOnlyList<V1ContainerStatus> init, IReadOnlyList<V1ContainerStatus> app, string phase)
    {
        var unknown = new List<string>();
        var incomplete = new List<string>();
        foreach (var container in spec.InitContainers ?? [])
        {
            var status = Find(init, container.Name);
            if (status is null)
            {
                unknown.Add(container.Name);
                continue;
            }

            if (status.State?.Terminated is not { ExitCode: 0 })
            {
                incomplete.Add(container.Name);
            }
        }

        if (phase == "Succeeded" && unknown.Count == 0)
        {
            return new V1PodCondition { Type = Initialized, Status = "True", Reason = "PodCompleted" };
        }

        if (AnyRegularContainerStarted(app))
        {
            return new V1PodCondition { Type = Initialized, Status = "True" };
        }

        var message = Messages(("containers with unknown status", unknown), ("containers with incomplete status", incomplete));
        return message.Length > 0
            ? new V1PodCondition { Type = Initialized, Status = "False", Reason = "ContainersNotInitialized", Message = message }
            : new V1PodCondition { Type = Initialized, Status = "True" };
    }

    private static V1PodCondition ContainersReadyCondition(V1PodSpec spec, IReadOnlyList<V1ContainerStatus> app, string phase)
    {
        var unknown = new List<string>();
        var unready = new List<string>();
        foreach (var container in spec.Containers ?? [])
        {
            var status = Find(app, container.Name);
            if (status is null)
            {
                unknown.Add(container.Name);
            }
            else if (status.Ready != true)
            {
                unready.Add(container.Name);
            }
        }

        if ((phase == "Succeeded" && unknown.Count == 0) || phase == "Failed")
        {
            return new V1PodCondition { Type = ContainersReady, Status = "False", Reason = phase == "Succeeded" ? "PodCompleted" : "PodFailed" };
        }

        var message = Messages(("containers with unknown status", unknown), ("containers with unready status", unready));
        return message.Length > 0
            ? new V1PodCondition { Type = ContainersReady, Status = "False", Reason = "ContainersNotReady", Message = message }
            : new V1PodCondition { Type = ContainersReady, Status = "True" };
    }

    /// <summary>Go's <c>fmt.Sprintf("%s: %s", text, []string{…})</c> parts joined with ", ".</summary>
    private static string Messages(params (string Text, List<string> Names)[] parts) =>
        string.Join(", ", parts.Where(p => p.Names.Count > 0).Select(p => p.Text + ": [" + string.Join(' ', p.Names) + "]"));

    private static bool AnyRegularContainerStarted(IReadOnlyList<V1ContainerStatus> app) =>
        app.Any(s => s.State?.Running is not null || s.State?.Terminated is not null || s.LastState?.Terminated is not null);

    private static V1ContainerStatus? Find(IReadOnlyList<V1ContainerStatus> statuses, string name)
    {
        foreach (var status in statuses)
        {
            if (status.Name == name)
            {
                return status;
            }
        }

        return null;
    }
}
