using System.Net;
using Berth.Client.Informers;
using Berth.Node.Runtime;
using k8s.Models;

namespace Berth.Node.Resolver;

/// <summary>
/// Writes a pod's resolver files into its directory — <c>resolv.conf</c> (<see cref="PodDnsPlanner"/>),
/// <c>etc-hosts</c> (<see cref="HostsFilePlanner"/>, the kubelet's file name), where needed <c>nsswitch.conf</c>
/// (<see cref="NsswitchPlanner"/>) and the <c>fstab</c> that bind-mounts them over the host's <c>/etc/resolv.conf</c>,
/// <c>/etc/hosts</c> and <c>/etc/nsswitch.conf</c> — and returns the <see cref="PodSandbox"/> its
/// processes run in. Called before every container start, so a change (a <c>kube-dns</c> Service created later, new
/// host aliases) reaches the pod then; files are rewritten in place only when their content changes, so processes
/// already running see the new content through their bind mounts.
/// </summary>
internal sealed class PodResolverFiles(NodeAgentOptions node, ILister<V1Service> services)
{
    public const string ResolvConfName = "resolv.conf";
    public const string HostsName = "etc-hosts";
    public const string MountTableName = "fstab";
    public const string NsswitchName = "nsswitch.conf";
    public const string EtcResolvConf = "/etc/resolv.conf";
    public const string EtcHosts = "/etc/hosts";
    public const string EtcNsswitch = "/etc/nsswitch.conf";

    private const UnixFileMode ReadableByAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <param name="pod">The pod.</param>
    /// <param name="podDir">Its directory (exists).</param>
    /// <param name="podIP">Its IP.</param>
    /// <param name="names">Its host name and domain.</param>
    /// <param name="podDescription">The kubelet's format.Pod of it, for event messages.</param>
    public PodResolverResult Write(V1Pod pod, string podDir, string podIP, PodNames names, string podDescription)
    {
        ResolvConf? host = null;
        if (node.ResolvConf.Length > 0)
        {
            var (parsed, error) = ReadResolvConf(node.ResolvConf);
            if (error is not null)
            {
                return PodResolverResult.Fail(error);
            }

            host = parsed;
        }

        var plan = PodDnsPlanner.Plan(new PodDnsInput
        {
            Pod = pod,
            Host = host,
            ClusterDns = ClusterDns.Addresses(node.ClusterDns, services),
            ClusterDomain = node.ClusterDomain,
            NodeIPs = [node.NodeAddress],
            PodDescription = podDescription,
        });

        var hostNetwork = pod.Spec?.HostNetwork == true;
        string hosts;
        if (hostNetwork)
        {
            var (nodeHosts, hostsError) = Read(EtcHosts);
            if (hostsError is not null)
            {
                return PodResolverResult.Fail(hostsError);
            }

            hosts = HostsFilePlanner.HostNetwork(nodeHosts!, pod.Spec!.HostAliases);
        }
        else
        {
            hosts = HostsFilePlanner.Managed([podIP], names.Hostname, names.Domain, pod.Spec?.HostAliases);
        }

        var resolvConf = Path.Combine(podDir, ResolvConfName);
        var hostsFile = Path.Combine(podDir, HostsName);
        var table = Path.Combine(podDir, MountTableName);
        var changed = WriteIfChanged(resolvConf, plan.Config.Render());
        WriteIfChanged(hostsFile, hosts);

        var events = changed ? new List<PlannedEvent>(plan.Events) : [];
        var lines = string.Empty;
        foreach (var (file, etc) in new[] { (resolvConf, EtcResolvConf), (hostsFile, EtcHosts) })
        {
            if (MountTarget(etc) is { } target)
            {
                lines += MountTable.Line(file, target);
            }
            else if (changed)
            {
                events.Add(PlannedEvent.PodWarning(PodResolverResult.NotMountedReason, $"{etc} does not exist on this node (or is a link to nothing): the pod's processes do not get {file} there"));
            }
        }

        // Only where the host's name lookups would go around the pod's files (systemd-resolved's nss module).
        if (MountTarget(EtcNsswitch) is { } nsswitchTarget && Read(EtcNsswitch) is (string hostNsswitch, null) && NsswitchPlanner.ForPod(hostNsswitch) is { } podNsswitch)
        {
            var nsswitch = Path.Combine(podDir, NsswitchName);
            WriteIfChanged(nsswitch, podNsswitch);
            lines += MountTable.Line(nsswitch, nsswitchTarget);
        }

        WriteIfChanged(table, lines);
        return new PodResolverResult(new PodSandbox(table, hostNetwork ? null : names.KernelHostname), events, null);
    }

    /// <summary>The node's resolv.conf checked as the kubelet does at start; null when it is fine.</summary>
    public static string? CheckNodeResolvConf(string path, string clusterDomain)
    {
        var (host, error) = ReadResolvConf(path);
        return error ?? PodDnsPlanner.CheckNodeLimits(host!, path, clusterDomain);
    }

    /// <summary>The kubelet's getHostDNSConfig: the file read and parsed, or the error that stops pods from starting.</summary>
    private static (ResolvConf? Config, string? Error) ReadResolvConf(string path)
    {
        var (text, readError) = Read(path);
        if (readError is not null)
        {
            return (null, readError);
        }

        var (config, parseError) = ResolvConf.Parse(text!);
        return parseError is null ? (config, null) : (null, parseError);
    }

    /// <summary>
    /// The path to mount over: <paramref name="etc"/> itself, or the file a symbolic link leads to (mount(2) follows
    /// links; /etc/resolv.conf is often one, e.g. to systemd-resolved's stub file). Null when there is no such file.
    /// </summary>
    internal static string? MountTarget(string etc)
    {
        try
        {
            var target = File.ResolveLinkTarget(etc, returnFinalTarget: true)?.FullName ?? etc;
            return File.Exists(target) ? target : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Reads a host file as the kubelet does (at most 10 MiB); the error reads as Go's.</summary>
    private static (string? Text, string? Error) Read(string path)
    {
        try
        {
            if (new FileInfo(path).Length > ResolvConf.MaxLength)
            {
                return (null, $"read {path}: the read limit is reached");
            }

            return (File.ReadAllText(path), null);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, $"open {path}: no such file or directory");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"open {path}: {e.Message}");
        }
    }

    /// <summary>Writes in place (same inode: bind mounts of running processes see it); false when the content was already so.</summary>
    private static bool WriteIfChanged(string path, string content)
    {
        if (File.Exists(path) && File.ReadAllText(path) == content)
        {
            return false;
        }

        using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = ReadableByAll });

        // 0644 whatever the umask: processes that run as the pod user read the bind-mounted file (the directories
        // above it are not in their path).
        File.SetUnixFileMode(file.SafeFileHandle, ReadableByAll);
        using var writer = new StreamWriter(file);
        writer.Write(content);
        return true;
    }
}
