using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Rest;

public sealed class DeleteTests : IClassFixture<BerthServer>
{
    private readonly Kubernetes _client;

    public DeleteTests(BerthServer server)
    {
        _client = server.Client;
    }

    [Fact]
    public async Task Delete_Deployment_ReturnsStatusSuccess()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Objects.Deployment("del-deploy"), "default");

        var status = await _client.AppsV1.DeleteNamespacedDeploymentAsync("del-deploy", "default", propagationPolicy: "Background");

        Assert.Equal("Success", status.Status);
        Assert.Equal("deployments", status.Details.Kind);
        Assert.Equal("apps", status.Details.Group);
        await StatusAssert.FailsAsync(() => _client.AppsV1.ReadNamespacedDeploymentAsync("del-deploy", "default"), 404);
    }

    [Fact]
    public async Task Delete_WithFinalizer_MarksUntilFinalizerRemoved()
    {
        var cm = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "fin", Finalizers = ["example.com/hold"] } };
        await _client.CoreV1.CreateNamespacedConfigMapAsync(cm, "default");

        await _client.CoreV1.DeleteNamespacedConfigMapAsync("fin", "default");
        var marked = await _client.CoreV1.ReadNamespacedConfigMapAsync("fin", "default");
        marked.Metadata.Finalizers = [];
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(marked, "fin", "default");

        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        await StatusAssert.FailsAsync(() => _client.CoreV1.ReadNamespacedConfigMapAsync("fin", "default"), 404);
    }

    [Fact]
    public async Task Delete_ForegroundPropagation_AddsForegroundFinalizer()
    {
        await _client.AppsV1.CreateNamespacedReplicaSetAsync(
            new V1ReplicaSet
            {
                Metadata = new V1ObjectMeta { Name = "fg" },
                Spec = new V1ReplicaSetSpec
                {
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "fg" } },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "fg" } },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "x:1" }] },
                    },
                },
            },
            "default");

        await _client.AppsV1.DeleteNamespacedReplicaSetAsync("fg", "default", propagationPolicy: "Foreground");
        var marked = await _client.AppsV1.ReadNamespacedReplicaSetAsync("fg", "default");

        Assert.Contains("foregroundDeletion", marked.Metadata.Finalizers);
        Assert.NotNull(marked.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task Delete_ScheduledPod_IsGracefulWithDeletionTimestamp()
    {
        await _client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("graceful", nodeName: "node-1"), "default");

        var returned = await _client.CoreV1.DeleteNamespacedPodAsync("graceful", "default", gracePeriodSeconds: 20);
        var read = await _client.CoreV1.ReadNamespacedPodAsync("graceful", "default");

        Assert.NotNull(returned.Metadata.DeletionTimestamp);
        Assert.Equal(20, read.Metadata.DeletionGracePeriodSeconds);
        await _client.CoreV1.DeleteNamespacedPodAsync("graceful", "default", gracePeriodSeconds: 0);
        await StatusAssert.FailsAsync(() => _client.CoreV1.ReadNamespacedPodAsync("graceful", "default"), 404);
    }

    [Fact]
    public async Task Delete_UnscheduledPod_IsImmediate()
    {
        await _client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("unscheduled"), "default");

        await _client.CoreV1.DeleteNamespacedPodAsync("unscheduled", "default");

        await StatusAssert.FailsAsync(() => _client.CoreV1.ReadNamespacedPodAsync("unscheduled", "default"), 404);
    }

    [Fact]
    public async Task Delete_UidPreconditionMismatch_Conflict()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "pre" } }, "default");

        var status = await StatusAssert.FailsAsync(
            () => _client.CoreV1.DeleteNamespacedConfigMapAsync("pre", "default", new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = "wrong" } }),
            409);

        Assert.Contains("Precondition failed: UID in precondition: wrong", status.Message);
    }

    [Fact]
    public async Task DeleteCollection_LabelSelector_LeavesTheOthers()
    {
        await _client.CoreV1.CreateNamespaceAsync(Objects.Namespace("dc"));
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("dc1", labels: new Dictionary<string, string> { ["batch"] = "x" }), "dc");
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("dc2", labels: new Dictionary<string, string> { ["batch"] = "x" }), "dc");
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("keep"), "dc");

        await _client.CoreV1.DeleteCollectionNamespacedServiceAsync("dc", labelSelector: "batch=x");
        var left = await _client.CoreV1.ListNamespacedServiceAsync("dc");

        Assert.Equal(["keep"], left.Items.Select(s => s.Metadata.Name));
    }
}
