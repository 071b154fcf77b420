using Berth.Controllers.HorizontalPodAutoscalers;
using k8s.Models;

namespace Berth.Controllers.Tests.HorizontalPodAutoscalers;

public sealed class ScaleNormalizerTests
{
    private static readonly DateTimeOffset _t0 = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void WithoutBehavior_ScaleDown_WaitsForTheStabilizationWindow()
    {
        var normalizer = new ScaleNormalizer(TimeSpan.FromSeconds(300));
        var spec = Spec(min: 1, max: 10);

        var first = normalizer.Normalize("k", spec, 6, 6, _t0);
        var soon = normalizer.Normalize("k", spec, 6, 2, _t0.AddSeconds(60));
        var later = normalizer.Normalize("k", spec, 6, 2, _t0.AddSeconds(301));

        Assert.Equal(6, first.Replicas);
        Assert.Equal(6, soon.Replicas);
        Assert.Equal("ScaleDownStabilized", soon.AbleReason);
        Assert.Equal(2, later.Replicas); // the 6 of t0 has left the window
    }

    [Fact]
    public void WithoutBehavior_ScaleUp_LimitedToTwiceOrFourAndToMax()
    {
        var normalizer = new ScaleNormalizer(TimeSpan.FromSeconds(300));

        var fast = normalizer.Normalize("a", Spec(1, 100), 1, 20, _t0);
        var capped = normalizer.Normalize("b", Spec(1, 3), 1, 20, _t0);

        Assert.Equal((4, true, "ScaleUpLimit"), (fast.Replicas, fast.Limited, fast.LimitReason));
        Assert.Equal((3, true, "TooManyReplicas"), (capped.Replicas, capped.Limited, capped.LimitReason));
    }

    [Fact]
    public void WithBehavior_PodsPolicy_LimitsEachPeriod_CountingEarlierScaleUps()
    {
        var normalizer = new ScaleNormalizer(TimeSpan.FromSeconds(300));
        var spec = Spec(1, 100);
        spec.Behavior = new V2HorizontalPodAutoscalerBehavior
        {
            ScaleUp = new V2HPAScalingRules { StabilizationWindowSeconds = 0, SelectPolicy = "Max", Policies = [new V2HPAScalingPolicy { Type = "Pods", Value = 2, PeriodSeconds = 60 }] },
        };

        var first = normalizer.Normalize("k", spec, 1, 10, _t0);
        normalizer.Rescaled("k", spec.Behavior, 1, first.Replicas, _t0);
        var samePeriod = normalizer.Normalize("k", spec, 3, 10, _t0.AddSeconds(30));
        var nextPeriod = normalizer.Normalize("k", spec, 3, 10, _t0.AddSeconds(61));

        Assert.Equal((3, "ScaleUpLimit"), (first.Replicas, first.LimitReason));
        Assert.Equal(3, samePeriod.Replicas);
        Assert.Equal(5, nextPeriod.Replicas);
    }

    [Fact]
    public void WithBehavior_ScaleDownWindowZero_ScalesDownAtOnce_ByPercent()
    {
        var normalizer = new ScaleNormalizer(TimeSpan.FromSeconds(300));
        var spec = Spec(1, 100);
        spec.Behavior = new V2HorizontalPodAutoscalerBehavior
        {
            ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = 0, SelectPolicy = "Max", Policies = [new V2HPAScalingPolicy { Type = "Percent", Value = 50, PeriodSeconds = 60 }] },
        };

        var decision = normalizer.Normalize("k", spec, 10, 1, _t0);

        Assert.Equal((5, "ScaleDownLimit"), (decision.Replicas, decision.LimitReason));
    }

    private static V2HorizontalPodAutoscalerSpec Spec(int min, int max) => new() { MinReplicas = min, MaxReplicas = max };
}
