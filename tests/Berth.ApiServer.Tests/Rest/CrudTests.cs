using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Rest;

public sealed class CrudTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Kubernetes _client;

    public CrudTests(BerthServer server)
    {
        _server = server;
        _client = server.Client;
    }

    [Fact]
    public async Task CreateGetReplaceDelete_Service_RoundTrips()
    {
        var created = await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("crud-web"), "default");

        var read = await _client.CoreV1.ReadNamespacedServiceAsync("crud-web", "default");
        read.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "front" };
        var replaced = await _client.CoreV1.ReplaceNamespacedServiceAsync(read, "crud-web", "default");
        var deleted = await _client.CoreV1.DeleteNamespacedServiceAsync("crud-web", "default");

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal("v1", created.ApiVersion);
        Assert.Equal("Service", created.Kind);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.True(long.Parse(replaced.Metadata.ResourceVersion) > long.Parse(created.Metadata.ResourceVersion));
        Assert.Equal("front", replaced.Metadata.Labels["tier"]);
        Assert.Equal("crud-web", deleted.Metadata.Name);
        await StatusAssert.FailsAsync(() => _client.CoreV1.ReadNamespacedServiceAsync("crud-web", "default"), 404);
    }

    [Fact]
    public async Task Create_Existing_AlreadyExists409()
    {
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("dup"), "default");

        var status = await StatusAssert.FailsAsync(() => _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("dup"), "default"), 409);

        Assert.Equal("AlreadyExists", status.Reason);
        Assert.Equal("services \"dup\" already exists", status.Message);
    }

    [Fact]
    public async Task Read_Missing_NotFound404WithStatus()
    {
        var status = await StatusAssert.FailsAsync(() => _client.CoreV1.ReadNamespacedServiceAsync("nope", "default"), 404);

        Assert.Equal("NotFound", status.Reason);
        Assert.Equal("services \"nope\" not found", status.Message);
        Assert.Equal("services", status.Details.Kind);
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_Conflict409()
    {
        var created = await _client.AppsV1.CreateNamespacedDeploymentAsync(Objects.Deployment("stale"), "default");
        created.Spec.Replicas = 2;
        await _client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "stale", "default");

        created.Spec.Replicas = 3;
        var status = await StatusAssert.FailsAsync(() => _client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "stale", "default"), 409);

        Assert.Equal("Conflict", status.Reason);
        Assert.Equal("Operation cannot be fulfilled on deployments.apps \"stale\": the object has been modified; please apply your changes to the latest version and try again", status.Message);
        var current = await _client.AppsV1.ReadNamespacedDeploymentAsync("stale", "default");
        Assert.Equal(2, current.Spec.Replicas);
    }

    [Fact]
    public async Task Create_InMissingNamespace_NotFound()
    {
        var status = await StatusAssert.FailsAsync(() => _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("x"), "no-such-ns"), 404);

        Assert.Equal("namespaces \"no-such-ns\" not found", status.Message);
    }

    [Fact]
    public async Task Create_GenerateName_GetsRandomSuffix()
    {
        var pod = Objects.Pod("");
        pod.Metadata.Name = null;
        pod.Metadata.GenerateName = "gen-";

        var a = await _client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        var b = await _client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        Assert.StartsWith("gen-", a.Metadata.Name);
        Assert.Equal(9, a.Metadata.Name.Length);
        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
    }

    [Fact]
    public async Task Create_DryRun_StoresNothing()
    {
        var created = await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("dry"), "default", dryRun: "All");

        Assert.Equal("dry", created.Metadata.Name);
        await StatusAssert.FailsAsync(() => _client.CoreV1.ReadNamespacedServiceAsync("dry", "default"), 404);
    }

    [Fact]
    public async Task Update_Deployment_BumpsGenerationOnlyForSpecChanges()
    {
        var created = await _client.AppsV1.CreateNamespacedDeploymentAsync(Objects.Deployment("gen"), "default");
        created.Metadata.Labels = new Dictionary<string, string> { ["a"] = "b" };
        var labelled = await _client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "gen", "default");
        labelled.Spec.Replicas = 4;

        var scaled = await _client.AppsV1.ReplaceNamespacedDeploymentAsync(labelled, "gen", "default");

        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(1, labelled.Metadata.Generation);
        Assert.Equal(2, scaled.Metadata.Generation);
    }

    [Fact]
    public async Task Replace_Unchanged_KeepsResourceVersion()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "same" }, Data = new Dictionary<string, string> { ["k"] = "v" } }, "default");

        var replaced = await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "same", "default");

        Assert.Equal(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Service_PutOnMissing_Creates()
    {
        var svc = Objects.Service("put-create");

        var created = await _client.CoreV1.ReplaceNamespacedServiceAsync(svc, "put-create", "default");

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
    }

    [Fact]
    public async Task Namespaces_SystemNamespacesExist()
    {
        var list = await _client.CoreV1.ListNamespaceAsync();

        var names = list.Items.Select(n => n.Metadata.Name).ToList();
        Assert.Contains("default", names);
        Assert.Contains("kube-system", names);
        Assert.Contains("kube-public", names);
        Assert.Contains("kube-node-lease", names);
    }
}
