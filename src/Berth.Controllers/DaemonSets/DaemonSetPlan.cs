using k8s.Models;

namespace Berth.Controllers.DaemonSets;

/// <summary>One sync of a DaemonSet (<see cref="DaemonSetPlanner.Plan"/>): create a pod for each of <see cref="Create"/> (node names), delete <see cref="Delete"/>, write <see cref="Status"/>.</summary>
internal sealed record DaemonSetPlan(IReadOnlyList<string> Create, IReadOnlyList<V1Pod> Delete, V1DaemonSetStatus Status);
