using Berth.Tests.Infrastructure;

namespace Berth.Tests;

/// <summary>
/// <c>kubectl cordon</c>, <c>drain</c> and <c>uncordon</c> against <c>berth up</c>: drain evicts through the
/// <c>eviction</c> subresource, a PodDisruptionBudget (kept by the disruption controller) holds it back, and pods come
/// back once the node is schedulable again.
/// </summary>
public sealed class DrainTests
{
    private const string App = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: sleepy
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: sleepy
          template:
            metadata:
              labels:
                app: sleepy
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: busybox
                command: ["sleep", "3600"]
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: sleepy
        spec:
          minAvailable: 2
          selector:
            matchLabels:
              app: sleepy
        """;

    [Fact]
    public async Task Drain_HonoursTheBudget_ThenEvicts_UncordonBringsPodsBack()
    {
        await using var cluster = await Cluster.UpAsync();
        var kubectl = cluster.Kubectl;
        var node = cluster.NodeName;
        await kubectl.RunAsync(["apply", "-f", "-"], App);
        await kubectl.OkAsync("rollout", "status", "deployment/sleepy", "--timeout=120s");
        var pdb = await cluster.KubectlUntilAsync(o => o.Contains("sleepy", StringComparison.Ordinal) && o.Contains(" 0 ", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "get", "pdb", "sleepy");
        await cluster.KubectlUntilAsync(o => o == "2", TimeSpan.FromSeconds(30), "get", "pdb", "sleepy", "-o", "jsonpath={.status.currentHealthy}");

        var blocked = await kubectl.RunAsync(["drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=12s"]);
        var cordoned = await kubectl.OkAsync("get", "node", node);
        var stillRunning = await kubectl.OkAsync("get", "pods", "-l", "app=sleepy", "--field-selector=status.phase=Running", "-o", "name");

        Assert.Matches(@"(?m)^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\s*$", pdb);
        Assert.NotEqual(0, blocked.ExitCode);
        Assert.Contains("Cannot evict pod as it would violate the pod's disruption budget.", blocked.Stdout + blocked.Stderr, StringComparison.Ordinal);
        Assert.Contains("SchedulingDisabled", cordoned, StringComparison.Ordinal);
        Assert.Equal(2, stillRunning.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        await kubectl.OkAsync("patch", "pdb", "sleepy", "--type=merge", "-p", "{\"spec\":{\"minAvailable\":0}}");
        await cluster.KubectlUntilAsync(o => o == "2", TimeSpan.FromSeconds(30), "get", "pdb", "sleepy", "-o", "jsonpath={.status.disruptionsAllowed}");
        var drained = await kubectl.RunAsync(["drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=60s"], timeoutSeconds: 90);
        var pending = await cluster.KubectlUntilAsync(o => o.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 2 && o.Split(' ').All(p => p == "Pending"), TimeSpan.FromSeconds(30), "get", "pods", "-l", "app=sleepy", "-o", "jsonpath={.items[*].status.phase}");

        Assert.True(drained.ExitCode == 0, drained.Stdout + drained.Stderr);
        Assert.Contains($"node/{node} drained", drained.Stdout, StringComparison.Ordinal);
        Assert.Contains("evicted", drained.Stdout, StringComparison.Ordinal);

        await kubectl.OkAsync("uncordon", node);
        await kubectl.OkAsync("rollout", "status", "deployment/sleepy", "--timeout=120s");
        Assert.DoesNotContain("SchedulingDisabled", await kubectl.OkAsync("get", "node", node), StringComparison.Ordinal);
        Assert.NotEmpty(pending);
    }
}
