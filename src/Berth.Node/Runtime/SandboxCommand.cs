namespace Berth.Node.Runtime;

/// <summary>
/// The command line that runs a process in a <see cref="PodSandbox"/>. It comes between <c>setsid</c> and the
/// process's own command, and only <c>exec</c>s: <c>setsid</c> → <c>unshare</c> (unshare(2) of the mount and UTS
/// namespaces, no fork) → <c>sh</c> (one <c>mount -a -T</c> process for every bind mount, the host name) →
/// <c>exec</c> of the command. So the pid the launcher sees is still the container process's own and its process
/// group, which the reaper and every signal rely on.
/// </summary>
/// <remarks>
/// <c>--propagation private</c> matters: on a host whose root mount is shared (systemd's default), bind mounts made in
/// the new namespace would otherwise propagate back to the host's /etc. A failed step ends the process with exit code
/// 128 (what runtimes report for a container that could not start), the tool's message on its stderr (the log).
/// </remarks>
internal static class SandboxCommand
{
    /// <summary>
    /// Adds the wrapper to <paramref name="arguments"/> (the arguments of <c>setsid</c>); the caller then adds the
    /// executable and its arguments.
    /// </summary>
    public static void AddTo(IList<string> arguments, SandboxSupport support, PodSandbox sandbox)
    {
        var tools = support.Tools;
        arguments.Add(tools.Unshare!);
        if (support.Mode == SandboxMode.UserNamespace)
        {
            arguments.Add("--user");
            arguments.Add("--map-current-user");
            arguments.Add("--keep-caps"); // the capabilities of the new user namespace survive the exec of sh and mount
        }

        arguments.Add("--mount");
        arguments.Add("--propagation");
        arguments.Add("private");
        if (sandbox.Hostname is not null)
        {
            arguments.Add("--uts");
        }

        arguments.Add("--");
        arguments.Add(SandboxTools.Shell);
        arguments.Add("-c");
        arguments.Add(Script(support));
        arguments.Add("sh");
        arguments.Add(sandbox.MountTable);
        arguments.Add(sandbox.Hostname ?? string.Empty);
    }

    /// <summary>
    /// The shell steps. As root the host name is written to <c>/proc/sys/kernel/hostname</c> (a builtin: no process);
    /// in a user namespace that file stays root's, so <c>hostname</c> (sethostname(2)) does it, and <c>setpriv</c> drops
    /// the capabilities <c>--keep-caps</c> kept before the command runs.
    /// </summary>
    private static string Script(SandboxSupport support)
    {
        var tools = support.Tools;
        var mount = Quote(tools.Mount!) + " -a -T \"$1\" || exit 128\n";
        return support.Mode == SandboxMode.UserNamespace
            ? mount + "[ -z \"$2\" ] || " + Quote(tools.Hostname!) + " \"$2\" || exit 128\nshift 2\nexec " + Quote(tools.Setpriv!) + " --inh-caps=-all --ambient-caps=-all -- \"$@\"\n"
            : mount + "[ -z \"$2\" ] || printf %s \"$2\" > /proc/sys/kernel/hostname || exit 128\nshift 2\nexec \"$@\"\n";
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
