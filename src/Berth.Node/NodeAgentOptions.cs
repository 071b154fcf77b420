using System.Net;
using Berth.Node.Runtime;

namespace Berth.Node;

/// <summary>Settings of one node agent (<c>berth up</c> runs one; <c>berth agent</c> runs one per machine).</summary>
public sealed class NodeAgentOptions
{
    /// <summary>The Node object's name (<c>--node-name</c>; default: the machine's host name, lower-cased).</summary>
    public string NodeName { get; set; } = Dns.GetHostName().ToLowerInvariant();

    /// <summary>The node's InternalIP: where NodePorts listen and the API server reaches the agent.</summary>
    public IPAddress NodeAddress { get; set; } = IPAddress.Loopback;

    /// <summary>Where the agent keeps pod directories and container logs (<c>&lt;data-dir&gt;/node</c>).</summary>
    public required string DataDir { get; set; }

    /// <summary>HTTPS port of the agent's kubelet API (logs, exec, port-forward); 0 picks a free port.</summary>
    public int KubeletPort { get; set; } = 10250;

    /// <summary>The node Lease's duration; the agent renews it every quarter of that (as the kubelet: 40 s / 10 s).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>The Node's <c>pods</c> capacity.</summary>
    public int MaxPods { get; set; } = 110;

    /// <summary>
    /// How to run the <c>berth</c> executable for built-in images (agnhost, pause): the apphost path, or
    /// <c>dotnet</c> and the path of <c>berth.dll</c>.
    /// </summary>
    public IReadOnlyList<string> BerthCommand { get; set; } = DefaultBerthCommand();

    /// <summary>An optional file mapping image names to commands (<c>--image-map</c>).</summary>
    public string? ImageMapFile { get; set; }

    /// <summary>The cluster DNS domain written into pods' resolv.conf and hosts files (<c>--cluster-domain</c>).</summary>
    public string ClusterDomain { get; set; } = "cluster.local";

    /// <summary>
    /// The nameservers of ClusterFirst pods (<c>--cluster-dns</c>, the kubelet's flag). Empty: the ClusterIP of the
    /// <c>kube-system/kube-dns</c> Service, when it exists.
    /// </summary>
    public IReadOnlyList<IPAddress> ClusterDns { get; set; } = [];

    /// <summary>
    /// The node's resolver configuration, the base of <c>Default</c> pods and the search domains ClusterFirst pods add
    /// (<c>--resolv-conf</c>). Empty: none (Default pods get <c>nameserver 127.0.0.1</c>, as the kubelet's).
    /// </summary>
    public string ResolvConf { get; set; } = "/etc/resolv.conf";

    /// <summary>
    /// How pods get their own /etc/resolv.conf, /etc/hosts and host name; null (the default) uses the best this
    /// machine allows. Tests pin a mode.
    /// </summary>
    public SandboxMode? PodSandbox { get; set; }

    /// <summary>
    /// Whom pods run as when the agent is root and neither the container's nor the pod's securityContext names a
    /// <c>runAsUser</c> (<c>--pod-user</c>): <c>user[:group]</c>, names (from /etc/passwd, /etc/group) or numbers; without
    /// a group, the user's primary group. Default <c>nobody</c> (65534): it owns no files, so a pod can read only what
    /// every user may. Ignored when the agent is not root: pods then run as the agent's user.
    /// </summary>
    public string PodUser { get; set; } = "nobody";

    /// <summary>Why <see cref="PodUser"/> names no user or group of this host (for a usage error), or null.</summary>
    public string? PodUserProblem() => HostAccounts.Load().Resolve(PodUser).Error;

    /// <summary>
    /// Where the agent may create a volume's missing mount point on the host (an empty directory, or an empty file for a
    /// file mount), as container runtimes create them in a container's root: by default only below
    /// <c>/var/run/secrets</c>, where Kubernetes mounts service-account tokens. Elsewhere a mountPath must exist on the
    /// node or lie inside another volume of the pod (see Volumes in the README).
    /// </summary>
    public IReadOnlyList<string> MountPointRoots { get; set; } = ["/var/run/secrets"];

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The running <c>berth</c>: its apphost, or <c>dotnet berth.dll</c> when it runs under <c>dotnet</c> (or when a test
    /// host has <c>berth.dll</c> beside it).
    /// </summary>
    public static IReadOnlyList<string> DefaultBerthCommand()
    {
        var process = Environment.ProcessPath ?? "berth";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, Path.Combine(AppContext.BaseDirectory, "berth.dll")]
            : [process];
    }
}
