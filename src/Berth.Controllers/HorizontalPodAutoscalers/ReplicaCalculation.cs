namespace Berth.Controllers.HorizontalPodAutoscalers;

/// <summary>
/// What <see cref="ReplicaCalculator"/> found for one metric: the replica count it proposes, the current utilization
/// (percent of requests; null for an average-value target) and average value (milli-units), or why it could not.
/// </summary>
public sealed record ReplicaCalculation(int Replicas, int? Utilization, long AverageMilliValue, DateTimeOffset Timestamp, string? Error = null)
{
    public static ReplicaCalculation Failed(string error) => new(0, null, 0, default, error);
}
