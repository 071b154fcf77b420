using System.Net;
using System.Text.Json.Nodes;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Berth.ApiServer.Tests.Policy;

/// <summary>PodDisruptionBudget and the pods/eviction subresource with the C# client and kubectl (the disruption controller is not running here: the test writes the budget's status).</summary>
public sealed class PodDisruptionBudgetTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Infrastructure.Kubectl _kubectl;

    public PodDisruptionBudgetTests(BerthServer server)
    {
        _server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
    }

    [Fact]
    public async Task Eviction_BudgetAllowsNone_429_ThenAllowed_DeletesAndDecrements()
    {
        await CreateRunningPodAsync("guarded-1", "guarded");
        var pdb = await _server.Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("guarded", minAvailable: "1"), "default");
        await SetStatusAsync(pdb, allowed: 0);

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => EvictAsync("guarded-1"));
        await SetStatusAsync(await _server.Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("guarded", "default"), allowed: 1);
        await EvictAsync("guarded-1");
        var after = await _server.Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("guarded", "default");
        var pod = await _server.Client.CoreV1.ReadNamespacedPodAsync("guarded-1", "default");
        var table = await _kubectl.OkAsync("get", "pdb", "guarded");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Response.StatusCode);
        var status = JsonNode.Parse(refused.Response.Content)!;
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", status["message"]!.GetValue<string>());
        Assert.Equal("The disruption budget guarded needs 1 healthy pods and has 1 currently", status["details"]!["causes"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(0, after.Status.DisruptionsAllowed);
        Assert.Contains("guarded-1", after.Status.DisruptedPods.Keys);
        Assert.NotNull(pod.Metadata.DeletionTimestamp); // graceful: the node agent finishes it
        Assert.Matches(@"(?m)^guarded\s+1\s+N/A\s+0\s+\S+\s*$", table);
    }

    [Fact]
    public async Task Validation_BothSetOrOver100Percent_Refused()
    {
        var both = Budget("both", minAvailable: "1");
        both.Spec.MaxUnavailable = "1";
        var over = Budget("over", minAvailable: "120%");

        var e1 = await Assert.ThrowsAsync<HttpOperationException>(() => _server.Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(both, "default"));
        var e2 = await Assert.ThrowsAsync<HttpOperationException>(() => _server.Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(over, "default"));

        Assert.Contains("minAvailable and maxUnavailable cannot be both set", Message(e1), StringComparison.Ordinal);
        Assert.Contains("spec.minAvailable: Invalid value: \"120%\": must not be greater than 100%", Message(e2), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlCordonUncordon_SetAndClearUnschedulable()
    {
        await _server.Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "cordon-me" } });

        await _kubectl.OkAsync("cordon", "cordon-me");
        var cordoned = await _server.Client.CoreV1.ReadNodeAsync("cordon-me");
        await _kubectl.OkAsync("uncordon", "cordon-me");
        var uncordoned = await _server.Client.CoreV1.ReadNodeAsync("cordon-me");

        Assert.True(cordoned.Spec.Unschedulable);
        Assert.NotEqual(true, uncordoned.Spec.Unschedulable);
    }

    private static string Message(HttpOperationException e) => JsonNode.Parse(e.Response.Content)!["message"]!.GetValue<string>();

    private Task EvictAsync(string pod) =>
        _server.Client.CoreV1.CreateNamespacedPodEvictionAsync(new V1Eviction { Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = "default" } }, pod, "default");

    private async Task SetStatusAsync(V1PodDisruptionBudget pdb, int allowed)
    {
        pdb.Status = new V1PodDisruptionBudgetStatus { ObservedGeneration = pdb.Metadata.Generation, CurrentHealthy = 1, DesiredHealthy = 1, ExpectedPods = 1, DisruptionsAllowed = allowed };
        await _server.Client.PolicyV1.ReplaceNamespacedPodDisruptionBudgetStatusAsync(pdb, pdb.Metadata.Name, "default");
    }

    private async Task CreateRunningPodAsync(string name, string app)
    {
        var pod = await _server.Client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
                Spec = new V1PodSpec { NodeName = "somewhere", Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            },
            "default");
        pod.Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] };
        await _server.Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, name, "default");
    }

    private static V1PodDisruptionBudget Budget(string name, string minAvailable) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = minAvailable,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
        },
    };
}
