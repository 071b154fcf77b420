namespace Berth.Node.Runtime;

/// <summary>What to run as one host process (a container's main process, an exec session, a hook).</summary>
public sealed class ProcessSpec
{
    /// <summary>The executable: a path, or a bare name looked up in the <c>PATH</c> of <see cref="Environment"/>.</summary>
    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The whole environment of the process; nothing is inherited from the agent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>The working directory; must exist.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Whether the caller writes the process's stdin (otherwise stdin is <c>/dev/null</c>-like: closed at once).</summary>
    public bool RedirectStandardInput { get; init; }

    /// <summary>
    /// The pod's files and host name (a pod's processes), or null for a plain host process. Ignored where the machine
    /// allows no namespaces (<see cref="ProcessLauncher.Sandboxing"/> is <see cref="SandboxMode.None"/>).
    /// </summary>
    public PodSandbox? Sandbox { get; init; }

    /// <summary>
    /// The user the process runs as (<c>setpriv</c>, the wrapper's last step), or null for the agent's own. Only root
    /// can give another; pods of a root agent always get one (<see cref="Pods.PodUsers"/>).
    /// </summary>
    public ProcessUser? User { get; init; }
}
