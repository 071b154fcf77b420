using Berth.Node.Runtime;

namespace Berth.Node.Pods;

/// <summary>
/// What the streaming endpoints (logs, exec, port-forward) need to know about the pods this agent runs. Implemented by
/// the pod runtime; read by the agent's kubelet-style HTTPS server.
/// </summary>
public interface IContainerDirectory
{
    /// <summary>The pod as this agent runs it now, or <c>null</c> when this node does not run it.</summary>
    RunningPod? FindPod(string ns, string name);

    /// <summary>Every pod this node runs now (the resource metrics read them all).</summary>
    IReadOnlyList<RunningPod> ListPods();
}

/// <summary>A snapshot of one pod on this node.</summary>
/// <param name="PodIP">The pod's IP, once assigned.</param>
/// <param name="Containers">Init containers first (in order), then the app containers, in spec order.</param>
public sealed record RunningPod(string Namespace, string Name, string Uid, string? PodIP, IReadOnlyList<ContainerView> Containers)
{
    public ContainerView? Find(string name) => Containers.FirstOrDefault(c => c.Name == name);
}

/// <summary>One container of a <see cref="RunningPod"/>.</summary>
public sealed class ContainerView
{
    public required string Name { get; init; }

    public bool IsInit { get; init; }

    /// <summary>The resolved environment of the current (or last) run: user variables, then service variables.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; }

    public required string WorkingDirectory { get; init; }

    /// <summary>The pod's resolver files and host name an exec runs with (null before the pod's first container start).</summary>
    public PodSandbox? Sandbox { get; init; }

    /// <summary>The user an exec runs as (the container's); null: the agent's own.</summary>
    public ProcessUser? User { get; init; }

    /// <summary>How often the container has been restarted; the current run's log is instance <c>RestartCount</c>.</summary>
    public int RestartCount { get; init; }

    /// <summary>
    /// The process id of the current instance: it leads its own session, which every process of the container shares
    /// (the resource metrics sum them). Null when the container is not running.
    /// </summary>
    public int? ProcessId { get; init; }

    /// <summary>Whether the current instance is running.</summary>
    public bool Running { get; init; }

    /// <summary>Cancelled when the current instance ends (already cancelled when it is not running).</summary>
    public CancellationToken Exited { get; init; }

    /// <summary>
    /// The log files of one run, oldest first (rotated files, then the live one). Lines are in the CRI format the
    /// kubelet reads: <c>2016-10-06T00:17:09.669794202Z stdout F text</c> (<c>P</c> marks a partial line). Empty when
    /// there is no such run (e.g. <paramref name="previous"/> before the first restart).
    /// </summary>
    public required Func<bool, IReadOnlyList<string>> LogFiles { get; init; }
}
