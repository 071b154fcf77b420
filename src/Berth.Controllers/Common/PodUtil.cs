using k8s.Models;

namespace Berth.Controllers.Common;

/// <summary>Pod predicates shared by the planners (ports of <c>k8s.io/kubernetes/pkg/api/v1/pod</c> helpers).</summary>
internal static class PodUtil
{
    public static V1PodCondition? ReadyCondition(V1Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    /// <summary>Ready ⇔ the Ready condition is <c>True</c> (<c>podutil.IsPodReady</c>).</summary>
    public static bool IsReady(V1Pod pod) => ReadyCondition(pod)?.Status == "True";

    public static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    public static bool IsTerminating(V1Pod pod) => pod.Metadata?.DeletionTimestamp is not null;

    /// <summary>Active = not terminal and not being deleted (<c>controller.IsPodActive</c>).</summary>
    public static bool IsActive(V1Pod pod) => !IsTerminal(pod) && !IsTerminating(pod);

    /// <summary>
    /// Available = ready for at least <paramref name="minReadySeconds"/> (<c>podutil.IsPodAvailable</c>:
    /// the ready transition plus minReadySeconds must be strictly before now).
    /// </summary>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        var ready = ReadyCondition(pod);
        if (ready?.Status != "True")
        {
            return false;
        }

        if (minReadySeconds == 0)
        {
            return true;
        }

        return ready.LastTransitionTime is { } since
            && new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)).AddSeconds(minReadySeconds) < now;
    }

    /// <summary>The pod IPs, falling back to <c>status.podIP</c> when <c>podIPs</c> is empty.</summary>
    public static IReadOnlyList<string> PodIps(V1Pod pod)
    {
        var ips = pod.Status?.PodIPs?.Select(p => p.Ip).Where(ip => !string.IsNullOrEmpty(ip)).ToList() ?? [];
        if (ips.Count == 0 && !string.IsNullOrEmpty(pod.Status?.PodIP))
        {
            ips.Add(pod.Status.PodIP);
        }

        return ips;
    }

    /// <summary>
    /// Whether a pod may appear in Endpoints/EndpointSlices at all (<c>ShouldPodBeInEndpoints</c>): it has an IP,
    /// is not in a terminal phase and, unless <paramref name="includeTerminating"/>, is not being deleted.
    /// </summary>
    public static bool ShouldBeInEndpoints(V1Pod pod, bool includeTerminating) =>
        PodIps(pod).Count > 0 && !IsTerminal(pod) && (includeTerminating || !IsTerminating(pod));

    /// <summary>
    /// Resolves a Service port's targetPort on a pod (<c>podutil.FindPort</c>): a number is used as is; a name is looked
    /// up in the containers' ports, then in sidecar init containers (restartPolicy Always), matching name and protocol.
    /// </summary>
    public static int? FindPort(V1Pod pod, V1ServicePort servicePort)
    {
        var target = servicePort.TargetPort?.Value;
        if (string.IsNullOrEmpty(target) || target == "0")
        {
            return servicePort.Port;
        }

        if (int.TryParse(target, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var protocol = servicePort.Protocol ?? "TCP";
        var containers = (pod.Spec?.Containers ?? [])
            .Concat((pod.Spec?.InitContainers ?? []).Where(c => c.RestartPolicy == "Always"));
        foreach (var container in containers)
        {
            foreach (var port in container.Ports ?? [])
            {
                if (port.Name == target && (port.Protocol ?? "TCP") == protocol)
                {
                    return port.ContainerPort;
                }
            }
        }

        return null;
    }

    /// <summary>The controller owner reference, if any (<c>metav1.GetControllerOf</c>).</summary>
    public static V1OwnerReference? ControllerOf(V1ObjectMeta? meta) =>
        meta?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
}
