using System.Net;
using Berth.Node.Resolver;
using Berth.Node.Runtime;

namespace Berth.Node.Pods;

internal sealed partial class PodWorker
{
    private PodSandbox? _sandbox;
    private bool _sandboxWarned;

    /// <summary>
    /// Writes the pod's resolv.conf, hosts file and mount table (again before every container start) and records what
    /// the kubelet would say about them (MissingClusterDNS, DNSConfigForming); where the machine allows no namespaces,
    /// a Warning once per pod that its processes see the host's files. Returns the sandbox of the pod's processes, or
    /// why the container cannot start.
    /// </summary>
    private (PodSandbox? Sandbox, string? Error) PrepareSandbox(PodNames names)
    {
        var dir = _runtime.Paths.Pod(Uid);
        var result = _runtime.Resolver.Write(_pod, dir, _podIp!, names, PodDescription);
        if (result.Error is { } error)
        {
            return (null, error);
        }

        foreach (var planned in result.Events)
        {
            if (planned.AboutNode)
            {
                _runtime.Events.RecordNode(planned.Type, planned.Reason, planned.Message);
            }
            else
            {
                _runtime.Events.Record(_pod, null, planned.Type, planned.Reason, planned.Message);
            }
        }

        var support = _runtime.Launcher.Sandboxing;
        if (support.Mode == SandboxMode.None && !_sandboxWarned)
        {
            _sandboxWarned = true;
            _runtime.Events.Record(_pod, null, PodEventRecorder.Warning, PodResolverResult.NotMountedReason,
                $"This node cannot give the pod's processes their own /etc/resolv.conf, /etc/hosts and host name ({support.Limitation}): "
                + $"they see the host's. The pod's files are {Path.Combine(dir, PodResolverFiles.ResolvConfName)} and {Path.Combine(dir, PodResolverFiles.HostsName)}");
        }

        _sandbox = result.Sandbox;
        return (result.Sandbox, null);
    }

    /// <summary>The host name the pod's processes see (HOSTNAME): the pod's, or the machine's for a hostNetwork pod.</summary>
    private string KernelHostname(PodNames names) => _pod.Spec?.HostNetwork == true ? Dns.GetHostName() : names.KernelHostname;
}
