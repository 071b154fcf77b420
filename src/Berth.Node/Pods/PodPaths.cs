using System.Globalization;

namespace Berth.Node.Pods;

/// <summary>
/// The agent's files: <c>&lt;DataDir&gt;/pods/&lt;uid&gt;/</c> per pod (the containers' default working directory) and
/// <c>&lt;DataDir&gt;/pods/&lt;uid&gt;/&lt;container&gt;/&lt;restartCount&gt;.log</c> per container run.
/// </summary>
internal sealed class PodPaths(string dataDir)
{
    public string Root { get; } = Path.Combine(Path.GetFullPath(dataDir), "pods");

    public string Pod(string uid) => Path.Combine(Root, uid);

    public string Container(string uid, string container) => Path.Combine(Root, uid, container);

    public string Log(string uid, string container, int restartCount) =>
        Path.Combine(Root, uid, container, restartCount.ToString(CultureInfo.InvariantCulture) + ".log");
}
