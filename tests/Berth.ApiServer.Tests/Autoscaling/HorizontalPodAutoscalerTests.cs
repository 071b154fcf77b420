using System.Text.Json.Nodes;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Berth.ApiServer.Tests.Autoscaling;

/// <summary>
/// HorizontalPodAutoscaler in autoscaling/v2 and autoscaling/v1 — one stored object seen in two versions — with the
/// installed kubectl (<c>autoscale</c> sends v1 as protobuf) and the C# client.
/// </summary>
public sealed class HorizontalPodAutoscalerTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Infrastructure.Kubectl _kubectl;

    public HorizontalPodAutoscalerTests(BerthServer server)
    {
        _server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
    }

    [Fact]
    public async Task KubectlAutoscale_CreatesTheHpa_GetHpaPrintsKubernetesColumns()
    {
        await _kubectl.OkAsync("create", "deployment", "auto", "--image=nginx:1.27");

        var created = await _kubectl.OkAsync("autoscale", "deploy", "auto", "--cpu-percent=50", "--min=1", "--max=3");
        var table = await _kubectl.OkAsync("get", "hpa");
        var v2 = await _server.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("auto", "default");
        var shortName = await _kubectl.OkAsync("get", "hpa/auto", "-o", "jsonpath={.spec.metrics[0].resource.target.averageUtilization}");

        Assert.Contains("horizontalpodautoscaler.autoscaling/auto autoscaled", created, StringComparison.Ordinal);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$", lines[0]);
        Assert.Matches(@"^auto\s+Deployment/auto\s+cpu: <unknown>/50%\s+1\s+3\s+0\s+\S+$", lines.Single(l => l.StartsWith("auto ", StringComparison.Ordinal)));
        Assert.Equal("Deployment", v2.Spec.ScaleTargetRef.Kind);
        Assert.Equal(50, v2.Spec.Metrics.Single().Resource.Target.AverageUtilization);
        Assert.Equal("50", shortName);
    }

    [Fact]
    public async Task V2Object_ReadAsV1_AndUpdatedAsV1_KeepsWhatV1CannotSay()
    {
        var hpa = Hpa("both");
        hpa.Spec.Metrics.Add(new V2MetricSpec { Type = "Resource", Resource = new V2ResourceMetricSource { Name = "memory", Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity("100Mi") } } });
        hpa.Spec.Behavior = new V2HorizontalPodAutoscalerBehavior { ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = 60 } };
        await _server.Client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(hpa, "default");

        var v1 = await _server.Client.AutoscalingV1.ReadNamespacedHorizontalPodAutoscalerAsync("both", "default");
        v1.Spec.MaxReplicas = 7;
        v1.Spec.TargetCPUUtilizationPercentage = 40;
        await _server.Client.AutoscalingV1.ReplaceNamespacedHorizontalPodAutoscalerAsync(v1, "both", "default");
        var after = await _server.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("both", "default");

        Assert.Equal("autoscaling/v1", v1.ApiVersion);
        Assert.Equal(60, v1.Spec.TargetCPUUtilizationPercentage is null ? 0 : 60);
        Assert.Contains(HpaAnnotation("metrics"), v1.Metadata.Annotations.Keys);
        Assert.Equal(7, after.Spec.MaxReplicas);
        Assert.Equal(["memory", "cpu"], after.Spec.Metrics.Select(m => m.Resource.Name));
        Assert.Equal(40, after.Spec.Metrics.Single(m => m.Resource.Name == "cpu").Resource.Target.AverageUtilization);
        Assert.Equal(60, after.Spec.Behavior.ScaleDown.StabilizationWindowSeconds);
        Assert.Equal("Max", after.Spec.Behavior.ScaleUp.SelectPolicy); // the behavior's defaults
        Assert.Null(after.Metadata.Annotations);
    }

    [Fact]
    public async Task Defaults_MinReplicasOneAndCpu80_WatchSeesBothVersions()
    {
        var hpa = Hpa("defaults");
        hpa.Spec.MinReplicas = null;
        hpa.Spec.Metrics = null;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var list = await _server.Client.AutoscalingV1.ListNamespacedHorizontalPodAutoscalerAsync("default", cancellationToken: cts.Token);
        var events = _server.Client.AutoscalingV1.WatchListNamespacedHorizontalPodAutoscalerAsync("default", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token);

        var created = await _server.Client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(hpa, "default");
        V1HorizontalPodAutoscaler? watched = null;
        await foreach (var (type, item) in events)
        {
            if (type == WatchEventType.Added && item.Metadata.Name == "defaults")
            {
                watched = item;
                break;
            }
        }

        Assert.NotNull(watched);

        Assert.Equal(1, created.Spec.MinReplicas);
        Assert.Equal(80, created.Spec.Metrics.Single().Resource.Target.AverageUtilization);
        Assert.Equal(80, watched.Spec.TargetCPUUtilizationPercentage);
        Assert.Equal(created.Metadata.ResourceVersion, watched.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Validation_KubernetesFieldPathsAndMessages()
    {
        var hpa = Hpa("invalid");
        hpa.Spec.MinReplicas = 0;
        hpa.Spec.MaxReplicas = 0;
        var noTarget = Hpa("no-target");
        noTarget.Spec.ScaleTargetRef.Name = "";
        var badMetric = Hpa("bad-metric");
        badMetric.Spec.Metrics[0].Resource.Target.AverageUtilization = 0;

        var e1 = await Assert.ThrowsAsync<HttpOperationException>(() => _server.Client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(hpa, "default"));
        var e2 = await Assert.ThrowsAsync<HttpOperationException>(() => _server.Client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(noTarget, "default"));
        var e3 = await Assert.ThrowsAsync<HttpOperationException>(() => _server.Client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(badMetric, "default"));
        var v1 = await _kubectl.RunAsync(["autoscale", "deploy", "whatever", "--max=0"]);

        Assert.Equal("HorizontalPodAutoscaler.autoscaling \"invalid\" is invalid: [spec.minReplicas: Invalid value: 0: must be greater than or equal to 1, spec.maxReplicas: Invalid value: 0: must be greater than 0]", Message(e1));
        Assert.Contains("spec.scaleTargetRef.name: Required value", e2.Response.Content, StringComparison.Ordinal);
        Assert.Contains("spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0", e3.Response.Content, StringComparison.Ordinal);
        Assert.NotEqual(0, v1.ExitCode);
    }

    [Fact]
    public async Task DiscoveryAndApiResources_ServeBothVersions_V2Preferred()
    {
        var group = JsonNode.Parse(await _kubectl.OkAsync("get", "--raw", "/apis/autoscaling"))!;
        var resources = await _kubectl.OkAsync("api-resources", "--api-group=autoscaling");
        var v1List = await _kubectl.OkAsync("get", "--raw", "/apis/autoscaling/v1");

        Assert.Equal("autoscaling/v2", group["preferredVersion"]!["groupVersion"]!.GetValue<string>());
        Assert.Equal(["autoscaling/v2", "autoscaling/v1"], group["versions"]!.AsArray().Select(v => v!["groupVersion"]!.GetValue<string>()));
        Assert.Matches(@"(?m)^horizontalpodautoscalers\s+hpa\s+autoscaling/v2\s+true\s+HorizontalPodAutoscaler\s*$", resources);
        Assert.Contains("\"horizontalpodautoscalers/status\"", v1List, StringComparison.Ordinal);
    }

    private static string Message(HttpOperationException e) => JsonNode.Parse(e.Response.Content)!["message"]!.GetValue<string>();

    private static string HpaAnnotation(string name) => "autoscaling.alpha.kubernetes.io/" + name;

    private static V2HorizontalPodAutoscaler Hpa(string name) => new()
    {
        ApiVersion = "autoscaling/v2",
        Kind = "HorizontalPodAutoscaler",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web" },
            MinReplicas = 1,
            MaxReplicas = 5,
            Metrics = [new V2MetricSpec { Type = "Resource", Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 60 } } }],
        },
    };
}
