using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Batch;

/// <summary>apps/v1 DaemonSets through the API: kubectl apply, the table by short name, defaults, validation, status subresource.</summary>
public sealed class DaemonSetApiTests : IClassFixture<BerthServer>
{
    private const string Manifest = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
        spec:
          selector:
            matchLabels:
              app: agent
          template:
            metadata:
              labels:
                app: agent
            spec:
              nodeSelector:
                role: edge
              containers:
              - name: main
                image: registry.k8s.io/e2e-test-images/agnhost:2.53
        """;

    private readonly BerthServer _server;
    private readonly Infrastructure.Kubectl _kubectl;

    public DaemonSetApiTests(BerthServer server)
    {
        _server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
    }

    [Fact]
    public async Task KubectlApply_DefaultsAndTableByShortName()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "ds-apply" } });

        await _kubectl.RunAsync(["apply", "-n", "ds-apply", "-f", "-"], Manifest);
        var table = await _kubectl.OkAsync("get", "ds", "-n", "ds-apply");
        var wide = await _kubectl.OkAsync("get", "daemonset", "agent", "-n", "ds-apply", "-o", "wide");

        var ds = await _server.Client.AppsV1.ReadNamespacedDaemonSetAsync("agent", "ds-apply");
        Assert.Equal(("RollingUpdate", "1", "0", 10), (ds.Spec.UpdateStrategy.Type, ds.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable.Value, ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge.Value, ds.Spec.RevisionHistoryLimit));
        Assert.Equal("Always", ds.Spec.Template.Spec.RestartPolicy);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE$", lines[0]);
        Assert.Matches(@"^agent\s+0\s+0\s+0\s+0\s+0\s+role=edge\s+\d+s$", lines[1]);
        Assert.Matches(@"CONTAINERS\s+IMAGES\s+SELECTOR\n.*main\s+registry.k8s.io/e2e-test-images/agnhost:2.53\s+app=agent", wide);
        Assert.Contains("daemonset.apps/agent", await _kubectl.OkAsync("get", "all", "-n", "ds-apply"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlApply_RestartPolicyNever_RefusedWithKubernetesMessage()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "ds-invalid" } });

        var result = await _kubectl.RunAsync(["apply", "-n", "ds-invalid", "-f", "-"], Manifest + "\n      restartPolicy: Never\n");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"", result.Stderr, StringComparison.Ordinal);
    }
}
