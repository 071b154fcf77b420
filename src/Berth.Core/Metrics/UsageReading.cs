namespace Berth.Core.Metrics;

/// <summary>Cumulative CPU time (seconds, all cores) and the working set (bytes) of a node or a container.</summary>
public sealed record UsageReading(double CpuSeconds, long MemoryWorkingSetBytes);
