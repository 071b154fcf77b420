using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Berth.ApiServer.Tests.Kubectl;

/// <summary>
/// The StatefulSet, ControllerRevision and ReplicationController kinds through the installed kubectl and the official
/// client (no controllers run here: this is the API surface — defaults, validation, tables, scale, watch).
/// </summary>
public sealed class StatefulSetKindTests : IClassFixture<BerthServer>
{
    private const string StatefulSetYaml = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: web
        spec:
          serviceName: web
          replicas: 3
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
          volumeClaimTemplates:
          - metadata:
              name: data
            spec:
              accessModes: ["ReadWriteOnce"]
              resources:
                requests:
                  storage: 1Gi
        """;

    private const string ReplicationControllerYaml = """
        apiVersion: v1
        kind: ReplicationController
        metadata:
          name: old
        spec:
          replicas: 2
          template:
            metadata:
              labels:
                app: old
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
        """;

    private readonly BerthServer _server;
    private readonly Infrastructure.Kubectl _kubectl;

    public StatefulSetKindTests(BerthServer server)
    {
        _server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
    }

    [Fact]
    public async Task StatefulSet_KubectlLifecycle_CreateGetWideScaleDelete()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("sts-kc"));
        var file = WriteFile("sts.yaml", StatefulSetYaml);

        var created = await _kubectl.OkAsync("create", "-n", "sts-kc", "-f", file);
        var table = await _kubectl.OkAsync("get", "-n", "sts-kc", "sts");
        var wide = await _kubectl.OkAsync("get", "-n", "sts-kc", "statefulsets", "-o", "wide");
        var scaled = await _kubectl.OkAsync("scale", "-n", "sts-kc", "sts/web", "--replicas=5");
        var set = await _server.Client.AppsV1.ReadNamespacedStatefulSetAsync("web", "sts-kc");
        var scale = await _server.Client.AppsV1.ReadNamespacedStatefulSetScaleAsync("web", "sts-kc");
        var all = await _kubectl.OkAsync("get", "-n", "sts-kc", "all");
        var deleted = await _kubectl.OkAsync("delete", "-n", "sts-kc", "sts", "web");

        Assert.Equal("statefulset.apps/web created", created.Trim());
        Assert.Matches(@"NAME\s+READY\s+AGE\s*\nweb\s+0/3\s+\d+s", table);
        Assert.Matches(@"NAME\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s*\nweb\s+0/3\s+\d+s\s+nginx\s+nginx:1.27", wide);
        Assert.Equal("statefulset.apps/web scaled", scaled.Trim());
        Assert.Equal(5, set.Spec.Replicas);
        Assert.Equal("OrderedReady", set.Spec.PodManagementPolicy);
        Assert.Equal(0, set.Spec.UpdateStrategy.RollingUpdate.Partition);
        Assert.Equal("data", Assert.Single(set.Spec.VolumeClaimTemplates).Metadata.Name);
        Assert.Equal("app=web", scale.Status.Selector);
        Assert.Contains("statefulset.apps/web", all);
        Assert.Equal("statefulset.apps \"web\" deleted", deleted.Trim());
    }

    [Fact]
    public async Task StatefulSet_ApplyChangingServiceName_ForbiddenWithKubernetesMessage()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("sts-immutable"));
        var file = WriteFile("sts-immutable.yaml", StatefulSetYaml);
        await _kubectl.OkAsync("apply", "-n", "sts-immutable", "-f", file);
        WriteFile("sts-immutable.yaml", StatefulSetYaml.Replace("serviceName: web", "serviceName: other", StringComparison.Ordinal));

        var result = await _kubectl.RunAsync(["apply", "-n", "sts-immutable", "-f", file]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(
            "The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
            result.Stderr);
    }

    [Fact]
    public async Task StatefulSet_CreateInvalid_FieldErrorsAsKubernetes()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("sts-invalid"));
        var file = WriteFile("sts-invalid.yaml", StatefulSetYaml.Replace("serviceName: web", "serviceName: web\n  podManagementPolicy: Sometimes", StringComparison.Ordinal));

        var result = await _kubectl.RunAsync(["create", "-n", "sts-invalid", "-f", file]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The StatefulSet \"web\" is invalid: spec.podManagementPolicy: Invalid value: \"Sometimes\": must be 'OrderedReady' or 'Parallel'", result.Stderr);
    }

    [Fact]
    public async Task StatefulSet_ClientWatch_SeesAddedAndStatusModified()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("sts-watch"));
        var set = KubernetesYaml.Deserialize<V1StatefulSet>(StatefulSetYaml);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = _server.Client.AppsV1.WatchListNamespacedStatefulSetAsync("sts-watch", cancellationToken: cts.Token);
        var seen = new List<string>();

        await _server.Client.AppsV1.CreateNamespacedStatefulSetAsync(set, "sts-watch", cancellationToken: cts.Token);
        await foreach (var (type, item) in events)
        {
            seen.Add($"{type}:{item.Status?.ReadyReplicas ?? 0}");
            if (seen.Count == 1)
            {
                item.Status = new V1StatefulSetStatus { Replicas = 3, ReadyReplicas = 2 };
                await _server.Client.AppsV1.ReplaceNamespacedStatefulSetStatusAsync(item, "web", "sts-watch", cancellationToken: cts.Token);
            }
            else
            {
                break;
            }
        }

        Assert.Equal(["Added:0", "Modified:2"], seen);
    }

    [Fact]
    public async Task ReplicationController_ClientWatchAndApiResources_ServedAsKubernetes()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("rc-watch"));
        var rc = KubernetesYaml.Deserialize<V1ReplicationController>(ReplicationControllerYaml);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = _server.Client.CoreV1.WatchListNamespacedReplicationControllerAsync("rc-watch", cancellationToken: cts.Token);
        var seen = new List<string>();

        await _server.Client.CoreV1.CreateNamespacedReplicationControllerAsync(rc, "rc-watch", cancellationToken: cts.Token);
        await foreach (var (type, item) in events)
        {
            seen.Add($"{type}:{item.Spec.Replicas}");
            if (seen.Count == 1)
            {
                await _server.Client.CoreV1.PatchNamespacedReplicationControllerScaleAsync(new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), "old", "rc-watch", cancellationToken: cts.Token);
            }
            else
            {
                break;
            }
        }

        var resources = await _kubectl.OkAsync("api-resources");

        Assert.Equal(["Added:2", "Modified:5"], seen);
        Assert.Matches(@"replicationcontrollers\s+rc\s+v1\s+true\s+ReplicationController", resources);
        Assert.Matches(@"statefulsets\s+sts\s+apps/v1\s+true\s+StatefulSet", resources);
        Assert.Matches(@"controllerrevisions\s+apps/v1\s+true\s+ControllerRevision", resources);
    }

    [Fact]
    public async Task ControllerRevision_KubectlGet_ShowsControllerAndDataIsImmutable()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("cr-kc"));
        var revision = new V1ControllerRevision
        {
            Metadata = new V1ObjectMeta
            {
                Name = "web-abc",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = "web", Uid = Guid.NewGuid().ToString(), Controller = true }],
            },
            Data = new Dictionary<string, object> { ["spec"] = new Dictionary<string, object> { ["x"] = 1 } },
            Revision = 2,
        };
        var created = await _server.Client.AppsV1.CreateNamespacedControllerRevisionAsync(revision, "cr-kc");

        var table = await _kubectl.OkAsync("get", "-n", "cr-kc", "controllerrevisions");
        created.Data = new Dictionary<string, object> { ["spec"] = new Dictionary<string, object> { ["x"] = 2 } };
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _server.Client.AppsV1.ReplaceNamespacedControllerRevisionAsync(created, "web-abc", "cr-kc"));

        Assert.Matches(@"NAME\s+CONTROLLER\s+REVISION\s+AGE\s*\nweb-abc\s+statefulset.apps/web\s+2\s+\d+s", table);
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Contains("data: Invalid value", error.Response.Content, StringComparison.Ordinal);
        Assert.Contains("field is immutable", error.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplicationController_KubectlLifecycle_DefaultsSelectorAndScales()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("rc-kc"));
        var file = WriteFile("rc.yaml", ReplicationControllerYaml);

        var created = await _kubectl.OkAsync("create", "-n", "rc-kc", "-f", file);
        var table = await _kubectl.OkAsync("get", "-n", "rc-kc", "rc");
        var wide = await _kubectl.OkAsync("get", "-n", "rc-kc", "replicationcontrollers", "-o", "wide");
        var scaled = await _kubectl.OkAsync("scale", "-n", "rc-kc", "rc/old", "--replicas=4");
        var rc = await _server.Client.CoreV1.ReadNamespacedReplicationControllerAsync("old", "rc-kc");
        var deleted = await _kubectl.OkAsync("delete", "-n", "rc-kc", "rc", "old");

        Assert.Equal("replicationcontroller/old created", created.Trim());
        Assert.Matches(@"NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s*\nold\s+2\s+0\s+0\s+\d+s", table);
        Assert.Matches(@"CONTAINERS\s+IMAGES\s+SELECTOR\s*\nold\s+2\s+0\s+0\s+\d+s\s+nginx\s+nginx:1.27\s+app=old", wide);
        Assert.Equal("replicationcontroller/old scaled", scaled.Trim());
        Assert.Equal(4, rc.Spec.Replicas);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "old" }, rc.Spec.Selector);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "old" }, rc.Metadata.Labels);
        Assert.Equal("replicationcontroller \"old\" deleted", deleted.Trim());
    }

    [Fact]
    public async Task ReplicationController_SelectorNotMatchingTemplate_Invalid()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(Objects.Namespace("rc-invalid"));
        var file = WriteFile("rc-invalid.yaml", ReplicationControllerYaml.Replace("  replicas: 2", "  replicas: 2\n  selector:\n    app: other", StringComparison.Ordinal));

        var result = await _kubectl.RunAsync(["create", "-n", "rc-invalid", "-f", file]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The ReplicationController \"old\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"old\"}: `selector` does not match template `labels`", result.Stderr);
    }

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_server.DataDir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
