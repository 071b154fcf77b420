namespace Berth.Core.Metrics;

/// <summary>
/// One reading of a node's resource figures, as the kubelet's <c>/metrics/resource</c> exposes them: cumulative CPU
/// seconds and the memory working set, for the node and for each running container. A CPU rate needs two readings.
/// </summary>
/// <param name="Timestamp">When the figures were read.</param>
/// <param name="Node">The node as a whole; null when it could not be read.</param>
public sealed record ResourceSample(DateTimeOffset Timestamp, UsageReading? Node, IReadOnlyList<ContainerUsage> Containers);
