using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.HorizontalPodAutoscalers;

/// <summary>
/// A port of pkg/controller/podautoscaler/replica_calculator.go for resource metrics (pure): the pods' usage against
/// their requests (Utilization) or a raw average (AverageValue), within the tolerance; pods that are pending, not yet
/// ready after their start or missing metrics are counted the conservative way Kubernetes counts them.
/// </summary>
public sealed class ReplicaCalculator(double tolerance, TimeSpan cpuInitializationPeriod, TimeSpan delayOfInitialReadinessStatus)
{
    /// <summary><c>GetResourceReplicas</c>: the target is a utilization percentage of the pods' requests.</summary>
    public ReplicaCalculation Utilization(int currentReplicas, int targetUtilization, string resource, string? container, IReadOnlyList<V1Pod> pods, IReadOnlyDictionary<string, PodMetric> metrics, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(metrics);
        if (pods.Count == 0)
        {
            return ReplicaCalculation.Failed("no pods returned by selector while calculating replica count");
        }

        var requests = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            long sum = 0;
            foreach (var c in pod.Spec?.Containers ?? [])
            {
                if (container is not null && c.Name != container)
                {
                    continue;
                }

                if (c.Resources?.Requests is not { } r || !r.TryGetValue(resource, out var request))
                {
                    return ReplicaCalculation.Failed($"missing request for {resource} in container {c.Name} of Pod {pod.Metadata.Name}");
                }

                sum += (long)Math.Round(request.ToDecimal() * 1000);
            }

            requests[pod.Metadata.Name] = sum;
        }

        var groups = Group(pods, metrics, resource, now);
        var usable = metrics.Where(m => !groups.Ignored.Contains(m.Key) && !groups.Unready.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value.MilliValue, StringComparer.Ordinal);
        if (usable.Count == 0)
        {
            return ReplicaCalculation.Failed("did not receive metrics for targeted pods (pods might be unready)");
        }

        var timestamp = metrics.Values.Select(m => m.Timestamp).DefaultIfEmpty(now).Min();
        if (UtilizationRatio(usable, requests, targetUtilization) is not { } first)
        {
            return ReplicaCalculation.Failed("no metrics returned matched known pods");
        }

        var (ratio, utilization, average) = first;
        var scaleUpWithUnready = groups.Unready.Count > 0 && ratio > 1.0;
        if (!scaleUpWithUnready && groups.Missing.Count == 0)
        {
            return Math.Abs(1.0 - ratio) <= tolerance
                ? new ReplicaCalculation(currentReplicas, utilization, average, timestamp)
                : new ReplicaCalculation((int)Math.Ceiling(ratio * groups.Ready), utilization, average, timestamp);
        }

        // On a scale-down missing pods count as using max(100 %, target) of their request; on a scale-up as using nothing.
        foreach (var name in groups.Missing)
        {
            usable[name] = ratio < 1.0 ? requests.GetValueOrDefault(name) * Math.Max(100, targetUtilization) / 100 : 0;
        }

        if (scaleUpWithUnready)
        {
            foreach (var name in groups.Unready)
            {
                usable[name] = 0;
            }
        }

        var newRatio = UtilizationRatio(usable, requests, targetUtilization)?.Ratio ?? ratio;
        return Settle(currentReplicas, ratio, newRatio, usable.Count) is { } replicas
            ? new ReplicaCalculation(replicas, utilization, average, timestamp)
            : new ReplicaCalculation(currentReplicas, utilization, average, timestamp);
    }

    /// <summary><c>GetRawResourceReplicas</c>: the target is an average value per pod (milli-units).</summary>
    public ReplicaCalculation AverageValue(int currentReplicas, long targetMilliValue, string resource, IReadOnlyList<V1Pod> pods, IReadOnlyDictionary<string, PodMetric> metrics, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(metrics);
        if (pods.Count == 0)
        {
            return ReplicaCalculation.Failed("no pods returned by selector while calculating replica count");
        }

        var groups = Group(pods, metrics, resource, now);
        var usable = metrics.Where(m => !groups.Ignored.Contains(m.Key) && !groups.Unready.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value.MilliValue, StringComparer.Ordinal);
        if (usable.Count == 0)
        {
            return ReplicaCalculation.Failed("did not receive metrics for targeted pods (pods might be unready)");
        }

        var timestamp = metrics.Values.Select(m => m.Timestamp).DefaultIfEmpty(now).Min();
        var average = usable.Values.Sum() / usable.Count;
        var ratio = (double)average / targetMilliValue;
        var scaleUpWithUnready = groups.Unready.Count > 0 && ratio > 1.0;
        if (!scaleUpWithUnready && groups.Missing.Count == 0)
        {
            return Math.Abs(1.0 - ratio) <= tolerance
                ? new ReplicaCalculation(currentReplicas, null, average, timestamp)
                : new ReplicaCalculation((int)Math.Ceiling(ratio * groups.Ready), null, average, timestamp);
        }

        foreach (var name in groups.Missing)
        {
            usable[name] = ratio < 1.0 ? targetMilliValue : 0;
        }

        if (scaleUpWithUnready)
        {
            foreach (var name in groups.Unready)
            {
                usable[name] = 0;
            }
        }

        var newRatio = (double)(usable.Values.Sum() / usable.Count) / targetMilliValue;
        return Settle(currentReplicas, ratio, newRatio, usable.Count) is { } replicas
            ? new ReplicaCalculation(replicas, null, average, timestamp)
            : new ReplicaCalculation(currentReplicas, null, average, timestamp);
    }

    /// <summary>The proposal after missing and unready pods were filled in; null keeps the current count.</summary>
    private int? Settle(int currentReplicas, double ratio, double newRatio, int count)
    {
        if (Math.Abs(1.0 - newRatio) <= tolerance || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0))
        {
            return null; // the filled-in figures changed the direction, or brought it within tolerance
        }

        var proposed = (int)Math.Ceiling(newRatio * count);
        return (newRatio < 1.0 && proposed > currentReplicas) || (newRatio > 1.0 && proposed < currentReplicas) ? null : proposed;
    }

    /// <summary><c>GetResourceUtilizationRatio</c>: null when no pod with metrics has a known request.</summary>
    private static (double Ratio, int Utilization, long Average)? UtilizationRatio(Dictionary<string, long> metrics, Dictionary<string, long> requests, int target)
    {
        long metricsTotal = 0, requestsTotal = 0;
        var entries = 0;
        foreach (var (pod, value) in metrics)
        {
            if (requests.TryGetValue(pod, out var request))
            {
                metricsTotal += value;
                requestsTotal += request;
                entries++;
            }
        }

        if (requestsTotal == 0)
        {
            return null;
        }

        var utilization = (int)(metricsTotal * 100 / requestsTotal);
        return ((double)utilization / target, utilization, metricsTotal / entries);
    }

    /// <summary><c>groupPods</c>.</summary>
    private (int Ready, HashSet<string> Unready, HashSet<string> Missing, HashSet<string> Ignored) Group(IReadOnlyList<V1Pod> pods, IReadOnlyDictionary<string, PodMetric> metrics, string resource, DateTimeOffset now)
    {
        var ready = 0;
        HashSet<string> unready = new(StringComparer.Ordinal), missing = new(StringComparer.Ordinal), ignored = new(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var name = pod.Metadata.Name;
            if (pod.Metadata.DeletionTimestamp is not null || pod.Status?.Phase == "Failed")
            {
                ignored.Add(name);
                continue;
            }

            if (pod.Status?.Phase == "Pending")
            {
                unready.Add(name);
                continue;
            }

            if (!metrics.TryGetValue(name, out var metric))
            {
                missing.Add(name);
                continue;
            }

            if (resource == "cpu" && IsUnreadyForCpu(pod, metric, now))
            {
                unready.Add(name);
                continue;
            }

            ready++;
        }

        return (ready, unready, missing, ignored);
    }

    private bool IsUnreadyForCpu(V1Pod pod, PodMetric metric, DateTimeOffset now)
    {
        var condition = PodUtil.ReadyCondition(pod);
        if (condition is null || pod.Status?.StartTime is not { } started)
        {
            return true;
        }

        var transition = condition.LastTransitionTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : DateTimeOffset.MinValue;
        var start = new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc));
        return start + cpuInitializationPeriod > now
            // Within the initialization period: unready, or no full metric window since it became ready.
            ? condition.Status == "False" || metric.Timestamp < transition + metric.Window
            // Afterwards: ignored only if it is unready and has never been ready.
            : condition.Status == "False" && start + delayOfInitialReadinessStatus > transition;
    }
}
