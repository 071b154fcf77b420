using k8s.Models;

namespace Berth.Controllers.HorizontalPodAutoscalers;

/// <summary>
/// The recommendation history and rate limits of pkg/controller/podautoscaler/horizontal.go: without a behavior,
/// <c>normalizeDesiredReplicas</c> (the highest recommendation of the downscale stabilization window, then at most
/// max(2 × current, 4)); with one, <c>normalizeDesiredReplicasWithBehaviors</c> (up and down stabilization windows,
/// then the scaling policies over the scale events of their periods). State per HPA key; time is passed in.
/// </summary>
public sealed class ScaleNormalizer(TimeSpan downscaleStabilizationWindow)
{
    private readonly Dictionary<string, List<(int Replicas, DateTimeOffset At)>> _recommendations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(int Change, DateTimeOffset At)>> _scaleUps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(int Change, DateTimeOffset At)>> _scaleDowns = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ScaleDecision Normalize(string key, V2HorizontalPodAutoscalerSpec spec, int currentReplicas, int desired, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var min = spec.MinReplicas ?? 1;
        var max = spec.MaxReplicas;
        lock (_gate)
        {
            // recordInitialRecommendation: the current count is the first recommendation.
            if (!_recommendations.ContainsKey(key))
            {
                _recommendations[key] = [(currentReplicas, now)];
            }

            return spec.Behavior is null
                ? WithoutBehavior(key, currentReplicas, desired, min, max, now)
                : WithBehavior(key, spec.Behavior, currentReplicas, desired, min, max, now);
        }
    }

    /// <summary>Records a rescale (<c>storeScaleEvent</c>), which the behavior's policies count over their periods.</summary>
    public void Rescaled(string key, V2HorizontalPodAutoscalerBehavior? behavior, int from, int to, DateTimeOffset now)
    {
        lock (_gate)
        {
            var (events, rules) = to > from ? (_scaleUps, behavior?.ScaleUp) : (_scaleDowns, behavior?.ScaleDown);
            var longest = rules?.Policies?.Select(p => p.PeriodSeconds).DefaultIfEmpty(0).Max() ?? 0;
            var list = events.TryGetValue(key, out var l) ? l : events[key] = [];
            list.RemoveAll(e => e.At < now.AddSeconds(-longest));
            list.Add((Math.Abs(to - from), now));
        }
    }

    /// <summary>Forgets a deleted HPA.</summary>
    public void Forget(string key)
    {
        lock (_gate)
        {
            _recommendations.Remove(key);
            _scaleUps.Remove(key);
            _scaleDowns.Remove(key);
        }
    }

    private ScaleDecision WithoutBehavior(string key, int current, int desired, int min, int max, DateTimeOffset now)
    {
        // stabilizeRecommendation: the highest recommendation of the window (the oldest outside it is reused).
        var list = Recommendations(key);
        var cutoff = now - downscaleStabilizationWindow;
        var stabilized = desired;
        var reused = false;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].At > cutoff)
            {
                stabilized = Math.Max(stabilized, list[i].Replicas);
            }
            else if (!reused)
            {
                list[i] = (desired, now);
                reused = true;
            }
        }

        if (!reused)
        {
            list.Add((desired, now));
        }

        var (ableReason, ableMessage) = stabilized != desired
            ? ("ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation")
            : ("ReadyForNewScale", "recommended size matches current size");

        // convertDesiredReplicasWithRules
        var scaleUpLimit = Math.Max(2 * current, 4);
        var (maxAllowed, limitReason, limitMessage) = max > scaleUpLimit
            ? (scaleUpLimit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
            : (max, "TooManyReplicas", "the desired replica count is more than the maximum replica count");
        if (stabilized < min)
        {
            return new ScaleDecision(min, ableReason, ableMessage, true, "TooFewReplicas", "the desired replica count is less than the minimum replica count");
        }

        return stabilized > maxAllowed
            ? new ScaleDecision(maxAllowed, ableReason, ableMessage, true, limitReason, limitMessage)
            : new ScaleDecision(stabilized, ableReason, ableMessage, false, "DesiredWithinRange", "the desired count is within the acceptable range");
    }

    private ScaleDecision WithBehavior(string key, V2HorizontalPodAutoscalerBehavior behavior, int current, int desired, int min, int max, DateTimeOffset now)
    {
        var up = behavior.ScaleUp ?? Core.Strategies.ScalingRules.CompleteScaleUp(null);
        var down = behavior.ScaleDown ?? Core.Strategies.ScalingRules.CompleteScaleDown(null);
        // maybeInitScaleDownStabilizationWindow: the flag's window when the behavior leaves it open.
        var downWindow = down.StabilizationWindowSeconds is { } d ? TimeSpan.FromSeconds(d) : downscaleStabilizationWindow;
        var upWindow = TimeSpan.FromSeconds(up.StabilizationWindowSeconds ?? 0);

        // stabilizeRecommendationWithBehaviors
        var list = Recommendations(key);
        var upCutoff = now - upWindow;
        var downCutoff = now - downWindow;
        int upRecommendation = desired, downRecommendation = desired;
        var oldIndex = -1;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].At > upCutoff)
            {
                upRecommendation = Math.Min(list[i].Replicas, upRecommendation);
            }

            if (list[i].At > downCutoff)
            {
                downRecommendation = Math.Max(list[i].Replicas, downRecommendation);
            }

            if (list[i].At < upCutoff && list[i].At < downCutoff)
            {
                oldIndex = i;
            }
        }

        var stabilized = Math.Min(Math.Max(current, upRecommendation), downRecommendation);
        if (oldIndex >= 0)
        {
            list[oldIndex] = (desired, now);
        }
        else
        {
            list.Add((desired, now));
        }

        var (ableReason, ableMessage) = stabilized == desired
            ? ("ReadyForNewScale", "recommended size matches current size")
            : desired >= current
                ? ("ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation")
                : ("ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation");

        // convertDesiredReplicasWithBehaviorRate
        var ups = _scaleUps.GetValueOrDefault(key) ?? [];
        var downs = _scaleDowns.GetValueOrDefault(key) ?? [];
        if (stabilized > current)
        {
            var limit = Math.Max(current, ScaleUpLimit(current, ups, downs, up, now));
            var (maxAllowed, reason, message) = max > limit
                ? (limit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
                : (max, "TooManyReplicas", "the desired replica count is more than the maximum replica count");
            if (stabilized > maxAllowed)
            {
                return new ScaleDecision(maxAllowed, ableReason, ableMessage, true, reason, message);
            }
        }
        else if (stabilized < current)
        {
            var limit = Math.Min(current, ScaleDownLimit(current, ups, downs, down, now));
            var (minAllowed, reason, message) = min < limit
                ? (limit, "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate")
                : (min, "TooFewReplicas", "the desired replica count is less than the minimum replica count");
            if (stabilized < minAllowed)
            {
                return new ScaleDecision(minAllowed, ableReason, ableMessage, true, reason, message);
            }
        }

        return new ScaleDecision(stabilized, ableReason, ableMessage, false, "DesiredWithinRange", "the desired count is within the acceptable range");
    }

    private List<(int Replicas, DateTimeOffset At)> Recommendations(string key) =>
        _recommendations.TryGetValue(key, out var list) ? list : _recommendations[key] = [];

    /// <summary><c>calculateScaleUpLimitWithScalingRules</c>.</summary>
    private static int ScaleUpLimit(int current, List<(int Change, DateTimeOffset At)> ups, List<(int Change, DateTimeOffset At)> downs, V2HPAScalingRules rules, DateTimeOffset now)
    {
        if (rules.SelectPolicy == "Disabled")
        {
            return current;
        }

        var minPolicy = rules.SelectPolicy == "Min";
        var result = minPolicy ? int.MaxValue : int.MinValue;
        foreach (var policy in rules.Policies ?? [])
        {
            var start = current - Changes(ups, policy.PeriodSeconds, now) + Changes(downs, policy.PeriodSeconds, now);
            var proposed = policy.Type == "Pods" ? start + policy.Value : (int)Math.Ceiling(start * (1 + (policy.Value / 100.0)));
            result = minPolicy ? Math.Min(result, proposed) : Math.Max(result, proposed);
        }

        return result;
    }

    /// <summary><c>calculateScaleDownLimitWithBehaviors</c>.</summary>
    private static int ScaleDownLimit(int current, List<(int Change, DateTimeOffset At)> ups, List<(int Change, DateTimeOffset At)> downs, V2HPAScalingRules rules, DateTimeOffset now)
    {
        if (rules.SelectPolicy == "Disabled")
        {
            return current;
        }

        var minPolicy = rules.SelectPolicy == "Min";
        var result = minPolicy ? int.MinValue : int.MaxValue;
        foreach (var policy in rules.Policies ?? [])
        {
            var start = current - Changes(ups, policy.PeriodSeconds, now) + Changes(downs, policy.PeriodSeconds, now);
            var proposed = policy.Type == "Pods" ? start - policy.Value : (int)(start * (1 - (policy.Value / 100.0)));
            result = minPolicy ? Math.Max(result, proposed) : Math.Min(result, proposed);
        }

        return result;
    }

    /// <summary><c>getReplicasChangePerPeriod</c>.</summary>
    private static int Changes(List<(int Change, DateTimeOffset At)> events, int periodSeconds, DateTimeOffset now) =>
        events.Where(e => e.At > now.AddSeconds(-periodSeconds)).Sum(e => e.Change);
}
