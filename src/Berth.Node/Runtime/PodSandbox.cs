namespace Berth.Node.Runtime;

/// <summary>
/// What a pod's processes see of their own instead of the host's: files bind-mounted over the host's in a private
/// mount namespace, and a host name in a UTS namespace of their own. Every process the agent starts for a pod
/// (containers, init containers, exec sessions, exec probes and hooks) gets the same sandbox.
/// </summary>
/// <param name="MountTable">
/// A file in <c>fstab(5)</c> form whose lines are the bind mounts (<c>&lt;pod file&gt; &lt;host path&gt; none bind 0 0</c>),
/// mounted with one <c>mount -a -T</c> in the new namespace.
/// </param>
/// <param name="Hostname">The kernel host name inside the pod; <c>null</c> keeps the host's (hostNetwork pods).</param>
public sealed record PodSandbox(string MountTable, string? Hostname);
