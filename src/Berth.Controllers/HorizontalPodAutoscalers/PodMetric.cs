namespace Berth.Controllers.HorizontalPodAutoscalers;

/// <summary>One pod's usage of a resource (sum over its containers, in milli-units: millicores, or bytes × 1000), as metricsclient.PodMetric.</summary>
public sealed record PodMetric(long MilliValue, DateTimeOffset Timestamp, TimeSpan Window);
