using Berth.Core.Metrics;
using Berth.Node.Pods;

namespace Berth.Node.Metrics;

/// <summary>
/// What the agent's <c>/metrics/resource</c> answers: one <see cref="ResourceSample"/> of the node and of every running
/// container of the pods it runs, read from /proc at the time of the request (as the kubelet reads cadvisor's latest).
/// </summary>
internal sealed class ResourceCollector(IContainerDirectory pods, TimeProvider time, ProcessTreeUsage? proc = null)
{
    private readonly ProcessTreeUsage _proc = proc ?? new ProcessTreeUsage();

    public ResourceSample Collect()
    {
        var timestamp = time.GetUtcNow();
        var sessions = _proc.ReadSessions();
        var containers = new List<ContainerUsage>();
        foreach (var pod in pods.ListPods())
        {
            foreach (var container in pod.Containers)
            {
                if (container.Running && container.ProcessId is { } pid && _proc.Session(sessions, pid) is { } usage)
                {
                    containers.Add(new ContainerUsage(pod.Namespace, pod.Name, container.Name, usage));
                }
            }
        }

        return new ResourceSample(timestamp, _proc.Node(), containers);
    }
}
