namespace Berth.Core.Metrics;

/// <summary>The <see cref="UsageReading"/> of one running container of a pod.</summary>
public sealed record ContainerUsage(string Namespace, string Pod, string Container, UsageReading Usage);
