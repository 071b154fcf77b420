using k8s.Models;

namespace Berth.Controllers.Nodes;

/// <summary>
/// What the node lifecycle controller last saw of a Node (upstream <c>nodeHealthData</c>): its Ready condition, its
/// Lease's renewTime, and when — by this controller's clock, so agents' clock skew does not matter — either last changed.
/// </summary>
internal sealed record NodeHealth(DateTimeOffset ProbeTimestamp, DateTimeOffset ReadyTransitionTimestamp, V1NodeCondition? Ready, DateTime? LeaseRenewTime);
