using Berth.Controllers.HorizontalPodAutoscalers;
using k8s.Models;

namespace Berth.Controllers.Tests.HorizontalPodAutoscalers;

public sealed class ReplicaCalculatorTests
{
    private static readonly DateTimeOffset _now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private readonly ReplicaCalculator _calculator = new(0.1, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30));

    [Fact]
    public void Utilization_AboveTarget_ScalesByTheRatio()
    {
        var pods = new[] { Pod("a", "100m"), Pod("b", "100m") };
        var metrics = Metrics(("a", 150), ("b", 150));

        var result = _calculator.Utilization(2, 50, "cpu", null, pods, metrics, _now);

        Assert.Null(result.Error);
        Assert.Equal(150, result.Utilization);
        Assert.Equal(150, result.AverageMilliValue);
        Assert.Equal(6, result.Replicas); // ceil(150 / 50 × 2)
    }

    [Fact]
    public void Utilization_WithinTolerance_KeepsTheCount()
    {
        var result = _calculator.Utilization(2, 50, "cpu", null, [Pod("a", "100m"), Pod("b", "100m")], Metrics(("a", 52), ("b", 54)), _now);

        Assert.Equal(2, result.Replicas);
        Assert.Equal(53, result.Utilization);
    }

    [Fact]
    public void Utilization_MissingPodOnScaleDown_CountsAsFullyUsed()
    {
        // a uses 10 % of its request; b has no metrics: on a scale-down it counts as 100 %, so (10 + 100) / 2 = 55 % of 50 % target.
        var result = _calculator.Utilization(2, 50, "cpu", null, [Pod("a", "100m"), Pod("b", "100m")], Metrics(("a", 10)), _now);

        Assert.Equal(2, result.Replicas);
        Assert.Equal(10, result.Utilization);
    }

    [Fact]
    public void Utilization_MissingRequest_IsAnError()
    {
        var result = _calculator.Utilization(1, 50, "cpu", null, [Pod("a", null)], Metrics(("a", 10)), _now);

        Assert.Equal("missing request for cpu in container main of Pod a", result.Error);
    }

    [Fact]
    public void Utilization_PodReadyLessThanAWindowAgo_IsUnready_NoMetricsLeft()
    {
        var pod = Pod("a", "100m", readySince: _now.AddSeconds(-1));

        var result = _calculator.Utilization(1, 50, "cpu", null, [pod], Metrics(("a", 500)), _now);

        Assert.Equal("did not receive metrics for targeted pods (pods might be unready)", result.Error);
    }

    [Fact]
    public void AverageValue_AboveTarget_ScalesByTheRatio()
    {
        var result = _calculator.AverageValue(2, 100_000, "memory", [Pod("a", "100m"), Pod("b", "100m")], Metrics(("a", 300_000), ("b", 100_000)), _now);

        Assert.Null(result.Utilization);
        Assert.Equal(200_000, result.AverageMilliValue);
        Assert.Equal(4, result.Replicas);
    }

    private static Dictionary<string, PodMetric> Metrics(params (string Pod, long Milli)[] values) =>
        values.ToDictionary(v => v.Pod, v => new PodMetric(v.Milli, _now, TimeSpan.FromSeconds(15)));

    private static V1Pod Pod(string name, string? cpuRequest, DateTimeOffset? readySince = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns" },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = "main",
                    Resources = cpuRequest is null ? null : new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpuRequest) } },
                },
            ],
        },
        Status = new V1PodStatus
        {
            Phase = "Running",
            StartTime = (readySince ?? _now.AddMinutes(-10)).UtcDateTime,
            Conditions = [new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = (readySince ?? _now.AddMinutes(-10)).UtcDateTime }],
        },
    };
}
