using Berth.Node.Runtime;
using k8s.Models;

namespace Berth.Node.Pods;

/// <summary>What a pod worker knows about one container of its pod across runs. Owned by the worker's loop.</summary>
internal sealed class ContainerRecord(V1Container spec, bool isInit)
{
    public V1Container Spec { get; } = spec;

    public string Name => Spec.Name;

    public bool IsInit { get; } = isInit;

    /// <summary>How many runs were started (restored from the pod status after an agent restart); the restart count is one less.</summary>
    public int Runs { get; set; }

    public int RestartCount => Math.Max(0, Runs - 1);

    /// <summary>The run in progress.</summary>
    public ContainerInstance? Instance { get; set; }

    /// <summary>How the latest finished run ended.</summary>
    public V1ContainerStateTerminated? Terminated { get; set; }

    /// <summary>How the run before that ended (lastState while <see cref="Terminated"/> is the state).</summary>
    public V1ContainerStateTerminated? PreviousTerminated { get; set; }

    /// <summary>Why the container is not running although it should (CrashLoopBackOff, ErrImagePull, …).</summary>
    public V1ContainerStateWaiting? Waiting { get; set; }

    /// <summary>No new start is tried before this (back-offs, retries).</summary>
    public DateTimeOffset NextAttempt { get; set; }

    public string? ImageId { get; set; }

    public string? ContainerId { get; set; }

    /// <summary>The environment and working directory of the current or last run (exec and streams use them).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; set; } = [];

    public string? WorkingDirectory { get; set; }

    /// <summary>The user of the current or last run (exec, probes and hooks run as it); null: the agent's.</summary>
    public ProcessUser? User { get; set; }

    /// <summary>The sandbox of the current (or last) run: the pod's, with this container's volume mounts.</summary>
    public PodSandbox? Sandbox { get; set; }

    /// <summary>Records that a run ended.</summary>
    public void Finish(V1ContainerStateTerminated terminated)
    {
        PreviousTerminated = Terminated;
        Terminated = terminated;
        Instance = null;
        Waiting = null;
    }
}
