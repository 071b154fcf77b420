using System.Globalization;
using Berth.Node.Runtime;
using k8s.Models;

namespace Berth.Node.Pods;

/// <summary>
/// Whom a pod's processes run as. A root agent never runs them as root unless a securityContext asks for uid 0:
/// the container's <c>runAsUser</c>/<c>runAsGroup</c>, else the pod's, else the node's pod user
/// (<see cref="NodeAgentOptions.PodUser"/>, <c>nobody</c>); groups add <c>fsGroup</c> and <c>supplementalGroups</c>.
/// An agent that is not root runs them as itself and can only honour a securityContext that names its own ids.
/// </summary>
/// <remarks>
/// <c>runAsNonRoot</c> is checked as the kubelet's <c>verifyRunAsNonRoot</c> (kuberuntime/security_context_others.go),
/// the node's pod user standing for the image's user.
/// </remarks>
internal sealed class PodUsers
{
    private readonly bool _agentIsRoot;
    private readonly long _agentUid;
    private readonly long _agentGid;
    private readonly HostAccounts _accounts;

    public PodUsers(bool agentIsRoot, long agentUid, long agentGid, ProcessUser podUser, HostAccounts accounts)
    {
        _agentIsRoot = agentIsRoot;
        _agentUid = agentUid;
        _agentGid = agentGid;
        PodUser = podUser;
        _accounts = accounts;
    }

    /// <summary>The user of a container whose pod names none (root agents only).</summary>
    public ProcessUser PodUser { get; }

    /// <summary>Whether pods run as users other than the agent's (the agent is root).</summary>
    public bool SwitchUser => _agentIsRoot;

    /// <summary>The pod users of this agent: <see cref="NodeAgentOptions.PodUser"/> resolved with the host's files.</summary>
    /// <exception cref="ArgumentException">The configured pod user or group does not exist.</exception>
    public static PodUsers ForThisAgent(NodeAgentOptions options)
    {
        var accounts = HostAccounts.Load();
        var (podUser, error) = accounts.Resolve(options.PodUser);
        if (podUser is null)
        {
            throw new ArgumentException("--pod-user: " + error);
        }

        return new PodUsers(Environment.IsPrivilegedProcess, Posix.EffectiveUserId, Posix.EffectiveGroupId, podUser, accounts);
    }

    /// <summary>
    /// The user <paramref name="container"/>'s processes run as (null: the agent's own), or why the container cannot
    /// start (<c>CreateContainerConfigError</c>).
    /// </summary>
    public (ProcessUser? User, string? Error) For(V1Pod pod, V1Container container)
    {
        var own = container.SecurityContext;
        var shared = pod.Spec?.SecurityContext;
        var uid = own?.RunAsUser ?? shared?.RunAsUser;
        var gid = own?.RunAsGroup ?? shared?.RunAsGroup;
        var nonRoot = (own?.RunAsNonRoot ?? shared?.RunAsNonRoot) == true;
        var where = $"(pod: \"{pod.Metadata?.Name}_{pod.Metadata?.NamespaceProperty}({pod.Metadata?.Uid})\", container: {container.Name})";
        if (nonRoot && uid == 0)
        {
            return (null, "container's runAsUser breaks non-root policy " + where);
        }

        if (!_agentIsRoot)
        {
            // Only root can switch users; running the process as someone else than asked would be a silent surprise.
            if (uid is { } u && u != _agentUid)
            {
                return (null, $"runAsUser {Id(u)} needs a node agent running as root: this one runs as uid {Id(_agentUid)}, and so do its pods");
            }

            if (gid is { } g && g != _agentGid)
            {
                return (null, $"runAsGroup {Id(g)} needs a node agent running as root: this one runs as gid {Id(_agentGid)}, and so do its pods");
            }

            return (null, null);
        }

        var effectiveUid = uid ?? PodUser.Uid;

        var effectiveGid = gid ?? GroupOf(uid);
        if (nonRoot && effectiveUid == 0)
        {
            return (null, "container has runAsNonRoot and image will run as root " + where);
        }

        var groups = new List<long> { effectiveGid };
        if (shared?.FsGroup is { } fsGroup)
        {
            groups.Add(fsGroup);
        }

        foreach (var group in shared?.SupplementalGroups ?? [])
        {
            if (group is { } g)
            {
                groups.Add(g);
            }
        }

        return (new ProcessUser(effectiveUid, effectiveGid, [.. groups.Distinct()]), null);
    }

    /// <summary>
    /// Who owns the pod's working directory (root agents): the pod's <c>runAsUser</c>, else the pod user; its group is
    /// the pod's <c>fsGroup</c>, which every container of the pod has among its groups (Kubernetes shares volumes
    /// between containers of different users this way), else the pod's <c>runAsGroup</c>, else that user's group.
    /// </summary>
    public ProcessUser OwnerOfWorkingDirectory(V1Pod pod)
    {
        var context = pod.Spec?.SecurityContext;
        var uid = context?.RunAsUser ?? PodUser.Uid;
        var gid = context?.FsGroup ?? context?.RunAsGroup ?? GroupOf(context?.RunAsUser);
        return new ProcessUser(uid, gid);
    }

    /// <summary>
    /// The group of a runAsUser without runAsGroup: the user's primary group on this host. Container runtimes take it
    /// from the image's /etc/passwd and fall back to gid 0; here the fallback is the pod user's group, never root's.
    /// </summary>
    private long GroupOf(long? runAsUser) =>
        runAsUser is { } uid ? _accounts.PrimaryGroupOf(uid) ?? PodUser.Gid : PodUser.Gid;

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
