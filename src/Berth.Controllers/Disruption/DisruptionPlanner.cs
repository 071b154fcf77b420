using Berth.Controllers.Common;
using Berth.Controllers.Deployments;
using k8s.Models;

namespace Berth.Controllers.Disruption;

/// <summary>
/// The status of a PodDisruptionBudget from its pods (pure; pkg/controller/disruption/disruption.go
/// <c>getExpectedPodCount</c>, <c>countHealthyPods</c>, <c>buildDisruptedPodMap</c>, <c>updatePdbStatus</c>).
/// </summary>
internal static class DisruptionPlanner
{
    /// <summary>How long an eviction's entry in <c>disruptedPods</c> holds a pod out of the healthy count (upstream DeletionTimeout).</summary>
    public static readonly TimeSpan DeletionTimeout = TimeSpan.FromMinutes(2);

    /// <param name="pdb">The budget.</param>
    /// <param name="pods">Its pods (namespace and selector).</param>
    /// <param name="expectedScale">The summed scale of the pods' controllers, or null when a pod has none (needed for a percentage or maxUnavailable).</param>
    /// <param name="now">The time.</param>
    public static V1PodDisruptionBudgetStatus Status(V1PodDisruptionBudget pdb, IReadOnlyList<V1Pod> pods, int? expectedScale, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pdb);
        ArgumentNullException.ThrowIfNull(pods);
        var spec = pdb.Spec ?? new V1PodDisruptionBudgetSpec();
        var old = pdb.Status ?? new V1PodDisruptionBudgetStatus();
        int expected, desired;
        var failSafe = false;
        if (spec.MaxUnavailable is { } maxUnavailable)
        {
            expected = expectedScale ?? 0;
            failSafe = expectedScale is null;
            desired = Math.Max(0, expected - DeploymentMath.ScaledValue(maxUnavailable, expected, roundUp: true));
        }
        else if (spec.MinAvailable is { Value: { } min } minAvailable && !min.EndsWith('%'))
        {
            expected = pods.Count;
            desired = DeploymentMath.ScaledValue(minAvailable, 0, roundUp: true);
        }
        else if (spec.MinAvailable is { } percent)
        {
            expected = expectedScale ?? 0;
            failSafe = expectedScale is null;
            desired = DeploymentMath.ScaledValue(percent, expected, roundUp: true);
        }
        else
        {
            expected = pods.Count;
            desired = 0;
        }

        // Evicted pods stay out of the healthy count until they are gone or the entry is older than DeletionTimeout.
        var disrupted = new Dictionary<string, DateTime?>(StringComparer.Ordinal);
        var byName = pods.ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
        foreach (var (name, at) in old.DisruptedPods ?? new Dictionary<string, DateTime?>())
        {
            if (byName.TryGetValue(name, out var pod) && pod.Metadata.DeletionTimestamp is null && at is { } t && new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) + DeletionTimeout > now)
            {
                disrupted[name] = at;
            }
        }

        var healthy = pods.Count(p => p.Metadata.DeletionTimestamp is null && !disrupted.ContainsKey(p.Metadata.Name) && PodUtil.IsReady(p));
        var allowed = failSafe ? 0 : Math.Max(0, healthy - desired);
        var status = new V1PodDisruptionBudgetStatus
        {
            ObservedGeneration = pdb.Metadata.Generation,
            DisruptedPods = disrupted.Count > 0 ? disrupted : null,
            CurrentHealthy = healthy,
            DesiredHealthy = desired,
            ExpectedPods = expected,
            DisruptionsAllowed = allowed,
            Conditions = old.Conditions is { } conditions ? ObjectCopy.Clone(conditions.ToList()) : [],
        };
        var (value, reason) = allowed > 0 ? ("True", "SufficientPods") : ("False", "InsufficientPods");
        var condition = status.Conditions.FirstOrDefault(c => c.Type == "DisruptionAllowed");
        if (condition is null)
        {
            status.Conditions.Add(new V1Condition { Type = "DisruptionAllowed", Status = value, Reason = reason, Message = "", LastTransitionTime = now.UtcDateTime, ObservedGeneration = pdb.Metadata.Generation });
        }
        else if (condition.Status != value || condition.Reason != reason)
        {
            condition.Status = value;
            condition.Reason = reason;
            condition.LastTransitionTime = now.UtcDateTime;
            condition.ObservedGeneration = pdb.Metadata.Generation;
        }

        return status;
    }
}
