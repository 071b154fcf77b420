using Berth.Node.Runtime;
using k8s.Models;

namespace Berth.Node.Probes;

/// <summary>
/// What a probe or lifecycle handler acts on: the pod IP, the container's ports, environment and directory, and the
/// pod's sandbox and the container's user an exec runs with.
/// </summary>
internal sealed record ProbeTarget(
    string PodIP,
    V1Container Container,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string WorkingDirectory,
    PodSandbox? Sandbox = null,
    ProcessUser? User = null);
