namespace Berth.Node.Runtime;

/// <summary>How the launcher gives a pod's processes a <see cref="PodSandbox"/>.</summary>
public enum SandboxMode
{
    /// <summary>No namespaces: the processes see the host's files and host name.</summary>
    None,

    /// <summary>As root (CAP_SYS_ADMIN): <c>unshare --mount --uts</c>, then bind mounts and the host name.</summary>
    Privileged,

    /// <summary>
    /// Without privilege: an unprivileged user namespace (<c>unshare --user --map-current-user --keep-caps</c>) owning the
    /// mount and UTS namespaces; the capabilities are dropped again before the command runs, so it keeps its own uid.
    /// </summary>
    UserNamespace,
}
