using Berth.Controllers.HorizontalPodAutoscalers;
using Berth.Controllers.Tests.Integration;
using Berth.Controllers.Tests.ReplicaSets;
using Berth.Tests.Shared;
using k8s.Models;

namespace Berth.Controllers.Tests.HorizontalPodAutoscalers;

/// <summary>
/// The controller against the real API server with metrics the test feeds: it reads the Deployment's scale
/// subresource, the pods of its selector (the test writes their status, as a kubelet would), and writes the scale and
/// the HPA's status.
/// </summary>
public sealed class HorizontalPodAutoscalerControllerIntegrationTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private static readonly CancellationToken _none = CancellationToken.None;
    private static readonly ControllerOptions _fast = new() { HorizontalPodAutoscalerSyncPeriod = TimeSpan.FromMilliseconds(300) };

    [Fact]
    public async Task Sync_CpuAboveTarget_ScalesTheDeploymentUpToMax_AndReportsStatus()
    {
        var ns = await fixture.NewNamespaceAsync();
        var metrics = new FedPodMetrics();
        await using var manager = await fixture.StartAsync(_fast, m => new HorizontalPodAutoscalerController(m, metrics));
        await fixture.Client.CreateAsync(Workloads.Deployment(ns, "web", 2), _none);
        foreach (var pod in new[] { "web-a", "web-b" })
        {
            await CreateRunningPodAsync(ns, pod, "web");
            metrics.Set(ns, pod, 200); // 200 % of the 100m request
        }

        await fixture.Client.CreateAsync(Hpa(ns, "web", target: 50, min: 1, max: 5), _none);

        var deployment = await Eventually.ValueAsync(
            async () => await fixture.Client.GetAsync<V1Deployment>(ns, "web", _none) is { Spec.Replicas: 5 } d ? d : null,
            "the HPA to scale web to 5");
        var hpa = await Eventually.ValueAsync(
            async () => await fixture.Client.GetAsync<V2HorizontalPodAutoscaler>(ns, "web", _none) is { Status: { CurrentReplicas: 5, DesiredReplicas: 5 } } h ? h : null,
            "the HPA status to say 5 of 5");

        Assert.Equal(5, deployment.Spec.Replicas);
        Assert.Equal(200, hpa.Status.CurrentMetrics.Single().Resource.Current.AverageUtilization);
        Assert.Equal("200m", hpa.Status.CurrentMetrics.Single().Resource.Current.AverageValue.ToString());
        Assert.NotNull(hpa.Status.LastScaleTime);
        Assert.Equal(("True", "ReadyForNewScale"), Condition(hpa, "AbleToScale"));
        Assert.Equal(("True", "ValidMetricFound"), Condition(hpa, "ScalingActive"));
        Assert.Equal(("True", "TooManyReplicas"), Condition(hpa, "ScalingLimited"));
        var events = await fixture.Client.ListAsync<Corev1Event>(ns, null, _none);
        // Twice the current count (or 4) at most per sync without a behavior: 2 → 4 → 5.
        Assert.Contains(events.Items, e => e.Reason == "SuccessfulRescale" && e.Message == "New size: 4; reason: cpu resource utilization (percentage of request) above target");
        Assert.Contains(events.Items, e => e.Reason == "SuccessfulRescale" && e.Message == "New size: 5; reason: cpu resource utilization (percentage of request) above target");
    }

    [Fact]
    public async Task Sync_NoRequestsOrUnknownTarget_ScalingInactive_WithKubernetesReasons()
    {
        var ns = await fixture.NewNamespaceAsync();
        var metrics = new FedPodMetrics();
        await using var manager = await fixture.StartAsync(_fast, m => new HorizontalPodAutoscalerController(m, metrics));
        await fixture.Client.CreateAsync(Workloads.Deployment(ns, "norequest", 1), _none);
        await CreateRunningPodAsync(ns, "norequest-a", "norequest", cpuRequest: null);
        metrics.Set(ns, "norequest-a", 100);
        await fixture.Client.CreateAsync(Hpa(ns, "norequest", target: 50, min: 1, max: 3), _none);
        var missing = Hpa(ns, "missing", target: 50, min: 1, max: 3);
        missing.Spec.ScaleTargetRef.Name = "no-such-deployment";
        await fixture.Client.CreateAsync(missing, _none);

        var inactive = await Eventually.ValueAsync(
            async () => await fixture.Client.GetAsync<V2HorizontalPodAutoscaler>(ns, "norequest", _none) is { } h && Condition(h, "ScalingActive").Status == "False" ? h : null,
            "ScalingActive False");
        var unable = await Eventually.ValueAsync(
            async () => await fixture.Client.GetAsync<V2HorizontalPodAutoscaler>(ns, "missing", _none) is { } h && Condition(h, "AbleToScale").Status == "False" ? h : null,
            "AbleToScale False");

        Assert.Equal("FailedGetResourceMetric", Condition(inactive, "ScalingActive").Reason);
        Assert.Contains("missing request for cpu in container web of Pod norequest-a", inactive.Status.Conditions.Single(c => c.Type == "ScalingActive").Message, StringComparison.Ordinal);
        Assert.Equal(1, (await fixture.Client.GetAsync<V1Deployment>(ns, "norequest", _none))!.Spec.Replicas);
        Assert.Equal("FailedGetScale", Condition(unable, "AbleToScale").Reason);
    }

    private async Task CreateRunningPodAsync(string ns, string name, string app, string? cpuRequest = "100m")
    {
        var created = await fixture.Client.CreateAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = app } },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "web",
                            Image = "nginx:1",
                            Resources = cpuRequest is null ? null : new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpuRequest) } },
                        },
                    ],
                },
            },
            _none);
        var started = DateTime.UtcNow.AddMinutes(-10); // past the CPU initialization period: every sample counts
        created.Status = new V1PodStatus
        {
            Phase = "Running",
            StartTime = started,
            Conditions = [new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = started }],
        };
        await fixture.Client.UpdateStatusAsync(created, _none);
    }

    private static V2HorizontalPodAutoscaler Hpa(string ns, string deployment, int target, int min, int max) => new()
    {
        Metadata = new V1ObjectMeta { Name = deployment, NamespaceProperty = ns },
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = deployment },
            MinReplicas = min,
            MaxReplicas = max,
            Metrics = [new V2MetricSpec { Type = "Resource", Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = target } } }],
        },
    };

    private static (string Status, string Reason) Condition(V2HorizontalPodAutoscaler hpa, string type) =>
        hpa.Status?.Conditions?.FirstOrDefault(c => c.Type == type) is { } c ? (c.Status, c.Reason) : ("", "");
}
