using k8s.Models;

namespace Berth.Node.Probes;

/// <summary>What a probe or lifecycle handler acts on: the pod IP, the container's ports, environment and directory.</summary>
internal sealed record ProbeTarget(
    string PodIP,
    V1Container Container,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string WorkingDirectory);
