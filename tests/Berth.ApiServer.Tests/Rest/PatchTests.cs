using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Rest;

public sealed class PatchTests : IClassFixture<BerthServer>
{
    private readonly Kubernetes _client;

    public PatchTests(BerthServer server)
    {
        _client = server.Client;
    }

    [Fact]
    public async Task Patch_JsonPatch_AddsLabel()
    {
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("jp"), "default");

        var patched = await _client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("""[{"op":"add","path":"/metadata/labels","value":{"jp":"1"}}]""", V1Patch.PatchType.JsonPatch), "jp", "default");

        Assert.Equal("1", patched.Metadata.Labels["jp"]);
    }

    [Fact]
    public async Task Patch_JsonPatchFailedTest_Invalid422()
    {
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("jp-test"), "default");

        await StatusAssert.FailsAsync(
            () => _client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""[{"op":"test","path":"/spec/type","value":"NodePort"}]""", V1Patch.PatchType.JsonPatch), "jp-test", "default"),
            422);
    }

    // The C# client's cordon (its examples' JsonPatchDocument<V1Node>.Replace(n => n.Spec.Unschedulable, true)): a JSON
    // patch "replace" of a member the Node does not have, which Kubernetes' engine (evanphx/json-patch v4) adds.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PatchNode_JsonPatchReplaceOfAbsentUnschedulable_Cordons(bool withSpec)
    {
        var name = "cordon-" + Guid.NewGuid().ToString("N")[..8];
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = name }, Spec = withSpec ? new V1NodeSpec { PodCIDR = "127.244.9.0/24" } : null };
        await _client.CoreV1.CreateNodeAsync(node);

        var patched = await _client.CoreV1.PatchNodeAsync(
            new V1Patch("""[{"value":true,"path":"/spec/unschedulable","op":"replace"}]""", V1Patch.PatchType.JsonPatch), name);
        var read = await _client.CoreV1.ReadNodeAsync(name);

        Assert.True(patched.Spec.Unschedulable);
        Assert.True(read.Spec.Unschedulable);
        Assert.Equal(withSpec ? "127.244.9.0/24" : null, read.Spec.PodCIDR);
    }

    [Fact]
    public async Task Patch_JsonPatchRemoveOfAbsentKey_Invalid422WithEngineMessage()
    {
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("jp-remove", labels: new Dictionary<string, string> { ["a"] = "1" }), "default");

        var status = await StatusAssert.FailsAsync(
            () => _client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""[{"op":"remove","path":"/metadata/labels/absent"}]""", V1Patch.PatchType.JsonPatch), "jp-remove", "default"),
            422);

        Assert.Equal("the server rejected our request due to an error in our request", status.Message);
        Assert.Equal("error in remove for path: '/metadata/labels/absent': Unable to remove nonexistent key: absent: missing value", status.Details.Causes.Single().Message);
    }

    [Fact]
    public async Task Patch_MergePatch_NullDeletesKey()
    {
        var svc = Objects.Service("mp", labels: new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        await _client.CoreV1.CreateNamespacedServiceAsync(svc, "default");

        var patched = await _client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("""{"metadata":{"labels":{"a":null,"c":"3"}}}""", V1Patch.PatchType.MergePatch), "mp", "default");

        Assert.Equal(new Dictionary<string, string> { ["b"] = "2", ["c"] = "3" }, patched.Metadata.Labels);
    }

    [Fact]
    public async Task Patch_StrategicMerge_MergesPortsByPortAndDeletesDirective()
    {
        var svc = Objects.Service("smp");
        svc.Spec.Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080 }, new V1ServicePort { Name = "metrics", Port = 9090 }];
        await _client.CoreV1.CreateNamespacedServiceAsync(svc, "default");

        var patched = await _client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("""{"spec":{"$setElementOrder/ports":[{"port":80}],"ports":[{"port":80,"targetPort":8081},{"$patch":"delete","port":9090}]}}""", V1Patch.PatchType.StrategicMergePatch),
            "smp",
            "default");

        var port = Assert.Single(patched.Spec.Ports);
        Assert.Equal("http", port.Name);
        Assert.Equal("8081", port.TargetPort.Value);
    }

    [Fact]
    public async Task Patch_StrategicMergeReplicasNull_DefaultsAgain()
    {
        var deployment = Objects.Deployment("smp-null", replicas: 3);
        await _client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default");

        var patched = await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":null}}""", V1Patch.PatchType.StrategicMergePatch), "smp-null", "default");

        Assert.Equal(1, patched.Spec.Replicas);
    }

    [Fact]
    public async Task Patch_ServerSideApply_CreatesThenUpdates()
    {
        var body = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa"},"data":{"a":"1"}}""";

        var created = await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(body, V1Patch.PatchType.ApplyPatch), "ssa", "default", fieldManager: "test");
        var updated = await _client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch(body.Replace("\"a\":\"1\"", "\"a\":\"2\"", StringComparison.Ordinal), V1Patch.PatchType.ApplyPatch), "ssa", "default", fieldManager: "test");

        Assert.Equal("1", created.Data["a"]);
        Assert.Equal("2", updated.Data["a"]);
        Assert.Equal(created.Metadata.Uid, updated.Metadata.Uid);
    }

    [Fact]
    public async Task Patch_Missing_NotFound()
    {
        await StatusAssert.FailsAsync(
            () => _client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("{}", V1Patch.PatchType.MergePatch), "absent", "default"),
            404);
    }

    [Fact]
    public async Task Patch_WithStaleResourceVersion_Conflict()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "patch-rv" } }, "default");
        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"x":"1"}}""", V1Patch.PatchType.MergePatch), "patch-rv", "default");

        await StatusAssert.FailsAsync(
            () => _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"resourceVersion\":\"" + created.Metadata.ResourceVersion + "\"},\"data\":{\"x\":\"2\"}}", V1Patch.PatchType.MergePatch), "patch-rv", "default"),
            409);
    }
}
