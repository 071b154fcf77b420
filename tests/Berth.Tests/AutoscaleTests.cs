using System.Text.RegularExpressions;
using Berth.Tests.Infrastructure;

namespace Berth.Tests;

/// <summary>
/// <c>berth up</c> end to end: real busy processes drive the metrics API, and the HPA controller scales their
/// Deployment up — with the installed kubectl's <c>autoscale</c>, <c>get hpa</c> and <c>top</c>.
/// Its busy loops would hold both cores of a CI machine while other clusters of this assembly time their Services
/// (ProxyScenarioTests saw connects time out): it runs alone, after the parallel tests.
/// </summary>
[Collection(nameof(AutoscaleTests))]
public sealed class AutoscaleTests
{
    // One busy loop per pod, requesting 100m: each pod runs at many times its request.
    private const string BusyDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: busy
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: busy
          template:
            metadata:
              labels:
                app: busy
            spec:
              containers:
              - name: spin
                image: busybox
                command: ["sh", "-c", "while :; do :; done"]
                resources:
                  requests:
                    cpu: 100m
        """;

    [Fact]
    public async Task CpuLoad_KubectlAutoscale_ScalesTheDeploymentUpToMax()
    {
        await using var cluster = await Cluster.UpAsync();
        var kubectl = cluster.Kubectl;
        try
        {
            await kubectl.RunAsync(["apply", "-f", "-"], BusyDeployment);
            await kubectl.OkAsync("rollout", "status", "deployment/busy", "--timeout=120s");
            var top = await cluster.KubectlUntilAsync(o => o.Contains("busy-", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "top", "pod", "-l", "app=busy");

            await kubectl.OkAsync("autoscale", "deploy", "busy", "--cpu-percent=50", "--min=1", "--max=3");
            await cluster.KubectlUntilAsync(o => o == "3", TimeSpan.FromSeconds(90), "get", "deployment", "busy", "-o", "jsonpath={.spec.replicas}");
            var hpa = await cluster.KubectlUntilAsync(o => Regex.IsMatch(o, @"cpu: \d+%/50%"), TimeSpan.FromSeconds(60), "get", "hpa", "busy");
            var events = await kubectl.OkAsync("get", "events", "--field-selector", "involvedObject.kind=HorizontalPodAutoscaler");

            Assert.Matches(@"(?m)^busy-\S+\s+[1-9]\d*m\s+\d+Mi\s*$", top);
            Assert.Matches(@"(?m)^busy\s+Deployment/busy\s+cpu: \d+%/50%\s+1\s+3\s+\d\s+\S+\s*$", hpa);
            Assert.Contains("SuccessfulRescale", events, StringComparison.Ordinal);
        }
        finally
        {
            // The busy loops hold cores of a shared machine: stop them at once.
            await kubectl.RunAsync(["delete", "deployment", "busy", "--wait=false"]);
        }
    }
}

/// <summary>Runs <see cref="AutoscaleTests"/> with nothing beside it.</summary>
[CollectionDefinition(nameof(AutoscaleTests), DisableParallelization = true)]
public sealed class AutoscaleTestsCollection
{
}
