using k8s.Models;

namespace Berth.Node.Pods;

internal sealed partial class PodWorker
{
    /// <summary>Hands the pod's status to the status writer and refreshes what the streaming endpoints see.</summary>
    private void Publish(bool podIsTerminal)
    {
        var hasInit = _init.Count > 0;
        var init = _init.Select(r => ContainerStatus(r, hasInit)).ToList();
        var app = _app.Select(r => ContainerStatus(r, hasInit)).ToList();
        var spec = _pod.Spec ?? new V1PodSpec();
        var phase = PodStatusPlanner.Phase(spec, init, app, podIsTerminal);
        var status = new V1PodStatus
        {
            Phase = phase,
            Conditions = PodStatusPlanner.Conditions(spec, init, app, phase, sandboxReady: _podIp is not null && !_ipReleased),
            HostIP = _runtime.HostIP,
            HostIPs = [new V1HostIP { Ip = _runtime.HostIP }],
            PodIP = _podIp,
            PodIPs = _podIp is null ? null : [new V1PodIP { Ip = _podIp }],
            StartTime = _startTime,
            QosClass = _pod.Status?.QosClass,
            InitContainerStatuses = init.Count > 0 ? init : null,
            ContainerStatuses = app,
        };
        _runtime.Status.Set(_pod, status);
        PublishSnapshot();
    }

    private V1ContainerStatus ContainerStatus(ContainerRecord record, bool podHasInitContainers)
    {
        var status = new V1ContainerStatus
        {
            Name = record.Name,
            Image = record.Spec.Image ?? string.Empty,
            ImageID = record.ImageId ?? string.Empty,
            ContainerID = record.ContainerId,
            RestartCount = record.RestartCount,
            Ready = false,
            Started = false,
        };
        if (record.Instance is { } instance)
        {
            status.State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = PodStatusWriter.Seconds(instance.StartedAt) } };
            status.LastState = new V1ContainerState { Terminated = record.Terminated };
            status.Started = instance.Started;
            status.Ready = !record.IsInit && instance.Ready;
        }
        else if (record.Waiting is { } waiting)
        {
            status.State = new V1ContainerState { Waiting = waiting };
            status.LastState = new V1ContainerState { Terminated = record.Terminated };
        }
        else if (record.Terminated is { } terminated)
        {
            status.State = new V1ContainerState { Terminated = terminated };
            status.LastState = new V1ContainerState { Terminated = record.PreviousTerminated };
        }
        else
        {
            // kubelet_pods.go convertToAPIContainerStatuses: the default waiting reason.
            status.State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = podHasInitContainers ? "PodInitializing" : "ContainerCreating" } };
            status.LastState = new V1ContainerState();
        }

        return status;
    }

    private void PublishSnapshot()
    {
        var views = new List<ContainerView>(_init.Count + _app.Count);
        foreach (var record in All)
        {
            var runs = record.Runs;
            var instance = record.Instance;
            var name = record.Name;
            views.Add(new ContainerView
            {
                Name = name,
                IsInit = record.IsInit,
                Environment = record.Environment,
                WorkingDirectory = record.WorkingDirectory ?? _runtime.Paths.Pod(Uid),
                Sandbox = record.Sandbox ?? _sandbox,
                User = record.User,
                RestartCount = record.RestartCount,
                Running = instance is not null && !instance.Process.Exited.IsCompleted,
                ProcessId = instance?.Process.Pid,
                Exited = instance?.Lifetime ?? _ended,
                LogFiles = previous =>
                {
                    var run = previous ? runs - 2 : runs - 1;
                    return run < 0 ? [] : ContainerLogWriter.Files(_runtime.Paths.Log(Uid, name, run));
                },
            });
        }

        Volatile.Write(ref _snapshot, new RunningPod(Namespace, Name, Uid, _podIp, views));
    }
}
