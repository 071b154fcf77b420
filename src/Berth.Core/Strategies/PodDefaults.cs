using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// Pod defaulting of pkg/apis/core/v1/defaults.go: <c>SetDefaults_PodSpec</c>, <c>_Container</c>,
/// <c>_Probe</c>, <c>_HTTPGetAction</c>, <c>_ContainerPort</c> (shared with pod templates) and
/// <c>SetDefaults_Pod</c> (pods only).
/// </summary>
public static class PodDefaults
{
    /// <summary><c>SetDefaults_Pod</c> + the spec defaults: enableServiceLinks and requests-from-limits apply to pods, not templates.</summary>
    public static void ApplyPod(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec ??= new V1PodSpec();
        foreach (var c in AllContainers(spec))
        {
            // A container with limits but no requests gets requests = limits.
            if (c.Resources?.Limits is { Count: > 0 } limits)
            {
                c.Resources.Requests ??= new Dictionary<string, ResourceQuantity>();
                foreach (var (name, quantity) in limits)
                {
                    c.Resources.Requests.TryAdd(name, quantity);
                }
            }
        }

        spec.EnableServiceLinks ??= true;
        ApplySpec(spec);
    }

    /// <summary><c>SetDefaults_PodSpec</c> and everything nested in it.</summary>
    public static void ApplySpec(V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrEmpty(spec.DnsPolicy))
        {
            spec.DnsPolicy = "ClusterFirst";
        }

        if (string.IsNullOrEmpty(spec.RestartPolicy))
        {
            spec.RestartPolicy = "Always";
        }

        spec.SecurityContext ??= new V1PodSecurityContext();
        spec.TerminationGracePeriodSeconds ??= 30;
        if (string.IsNullOrEmpty(spec.SchedulerName))
        {
            spec.SchedulerName = "default-scheduler";
        }

        foreach (var c in AllContainers(spec))
        {
            ApplyContainer(c, spec.HostNetwork == true);
        }
    }

    public static void ApplyTemplate(V1PodTemplateSpec? template)
    {
        if (template is not null)
        {
            ApplySpec(template.Spec ??= new V1PodSpec());
        }
    }

    internal static IEnumerable<V1Container> AllContainers(V1PodSpec spec) =>
        (spec.InitContainers ?? []).Concat(spec.Containers ?? []);

    private static void ApplyContainer(V1Container c, bool hostNetwork)
    {
        if (string.IsNullOrEmpty(c.ImagePullPolicy))
        {
            c.ImagePullPolicy = ImageTag(c.Image ?? "") == "latest" ? "Always" : "IfNotPresent";
        }

        if (string.IsNullOrEmpty(c.TerminationMessagePath))
        {
            c.TerminationMessagePath = "/dev/termination-log";
        }

        if (string.IsNullOrEmpty(c.TerminationMessagePolicy))
        {
            c.TerminationMessagePolicy = "File";
        }

        foreach (var p in c.Ports ?? [])
        {
            if (string.IsNullOrEmpty(p.Protocol))
            {
                p.Protocol = "TCP";
            }

            // With host networking the host port is the container port.
            if (hostNetwork && (p.HostPort ?? 0) == 0)
            {
                p.HostPort = p.ContainerPort;
            }
        }

        ApplyProbe(c.LivenessProbe);
        ApplyProbe(c.ReadinessProbe);
        ApplyProbe(c.StartupProbe);
        ApplyHttpGet(c.Lifecycle?.PostStart?.HttpGet);
        ApplyHttpGet(c.Lifecycle?.PreStop?.HttpGet);
    }

    private static void ApplyProbe(V1Probe? probe)
    {
        if (probe is null)
        {
            return;
        }

        probe.TimeoutSeconds ??= 1;
        probe.PeriodSeconds ??= 10;
        probe.SuccessThreshold ??= 1;
        probe.FailureThreshold ??= 3;
        ApplyHttpGet(probe.HttpGet);
    }

    private static void ApplyHttpGet(V1HTTPGetAction? action)
    {
        if (action is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(action.Path))
        {
            action.Path = "/";
        }

        if (string.IsNullOrEmpty(action.Scheme))
        {
            action.Scheme = "HTTP";
        }
    }

    /// <summary>
    /// The tag as <c>parsers.ParseImageName</c> reports it: <c>latest</c> when the reference has neither
    /// tag nor digest, empty when it has only a digest.
    /// </summary>
    internal static string ImageTag(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var hasDigest = at >= 0;
        var name = hasDigest ? image[..at] : image;
        var lastSlash = name.LastIndexOf('/');
        var colon = name.IndexOf(':', lastSlash + 1);
        if (colon >= 0)
        {
            return name[(colon + 1)..];
        }

        return hasDigest ? "" : "latest";
    }
}
