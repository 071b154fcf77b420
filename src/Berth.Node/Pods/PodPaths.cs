using System.Globalization;

namespace Berth.Node.Pods;

/// <summary>
/// The agent's files: <c>&lt;DataDir&gt;/pods/&lt;uid&gt;/</c> per pod (resolver files; the containers' default working
/// directory when pods run as the agent's user) and <c>&lt;DataDir&gt;/pods/&lt;uid&gt;/&lt;container&gt;/&lt;restartCount&gt;.log</c>
/// per container run. When pods run as other users (a root agent), the containers' default working directory is
/// <c>&lt;WorkRoot&gt;/&lt;uid&gt;/</c> instead, outside the data directory those users cannot enter.
/// </summary>
internal sealed class PodPaths(string dataDir, string? workRoot = null)
{
    public string Root { get; } = Path.Combine(Path.GetFullPath(dataDir), "pods");

    /// <summary>Where containers' working directories are when pods run as other users; null otherwise.</summary>
    public string? WorkRoot { get; } = workRoot;

    /// <summary>The mode of <see cref="WorkRoot"/>: others may pass, not list (0711).</summary>
    public const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// The mode of a pod's working directory under <see cref="WorkRoot"/> (2770): its owner and group only, and what is
    /// created in it takes the directory's group (the pod's <c>fsGroup</c>, as on a Kubernetes volume).
    /// </summary>
    public const UnixFileMode SharedWithGroup = UnixFileMode.SetGroup | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;

    /// <summary>The pod's working directory under <see cref="WorkRoot"/>, owned by the pod's user.</summary>
    public string WorkPod(string uid) => Path.Combine(WorkRoot!, uid);

    public string Pod(string uid) => Path.Combine(Root, uid);

    public string Container(string uid, string container) => Path.Combine(Root, uid, container);

    public string Log(string uid, string container, int restartCount) =>
        Path.Combine(Root, uid, container, restartCount.ToString(CultureInfo.InvariantCulture) + ".log");
}
