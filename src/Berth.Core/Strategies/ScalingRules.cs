using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The default HPA scaling rules of pkg/apis/autoscaling/v2/defaults.go (<c>GenerateHPAScaleUpRules</c>,
/// <c>GenerateHPAScaleDownRules</c>): what a given behavior's missing fields become. The controller uses the same rules
/// for a behavior's missing parts.
/// </summary>
public static class ScalingRules
{
    /// <summary>The scale-up rules: no stabilization, Max of 4 pods or 100 % per 15 s.</summary>
    public static V2HPAScalingRules CompleteScaleUp(V2HPAScalingRules? given) => Complete(
        given,
        stabilizationWindowSeconds: 0,
        [new V2HPAScalingPolicy { Type = "Pods", Value = 4, PeriodSeconds = 15 }, new V2HPAScalingPolicy { Type = "Percent", Value = 100, PeriodSeconds = 15 }]);

    /// <summary>The scale-down rules: 100 % per 15 s; the stabilization window is left to the controller (its flag, 300 s).</summary>
    public static V2HPAScalingRules CompleteScaleDown(V2HPAScalingRules? given) => Complete(
        given,
        stabilizationWindowSeconds: null,
        [new V2HPAScalingPolicy { Type = "Percent", Value = 100, PeriodSeconds = 15 }]);

    private static V2HPAScalingRules Complete(V2HPAScalingRules? given, int? stabilizationWindowSeconds, List<V2HPAScalingPolicy> policies)
    {
        if (given is null)
        {
            return new V2HPAScalingRules { StabilizationWindowSeconds = stabilizationWindowSeconds, SelectPolicy = "Max", Policies = policies };
        }

        given.StabilizationWindowSeconds ??= stabilizationWindowSeconds;
        given.SelectPolicy ??= "Max";
        if (given.Policies is not { Count: > 0 })
        {
            given.Policies = policies;
        }

        return given;
    }
}
