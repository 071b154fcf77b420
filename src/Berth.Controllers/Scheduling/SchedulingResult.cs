namespace Berth.Controllers.Scheduling;

/// <summary>
/// The outcome of <see cref="SchedulingPlanner.Schedule"/>: the node to bind to, or, when none fits, the
/// <c>PodScheduled=False</c> message in Kubernetes' words (<c>0/2 nodes are available: …</c>).
/// </summary>
internal sealed record SchedulingResult(string? NodeName, string? Message)
{
    public bool Scheduled => NodeName is not null;
}
