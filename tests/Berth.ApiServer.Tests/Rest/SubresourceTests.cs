using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Rest;

public sealed class SubresourceTests : IClassFixture<BerthServer>
{
    private readonly Kubernetes _client;

    public SubresourceTests(BerthServer server)
    {
        _client = server.Client;
    }

    [Fact]
    public async Task Scale_PatchDeploymentScale_ChangesReplicas()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Objects.Deployment("scaled", replicas: 2), "default");

        var scale = await _client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), "scaled", "default");
        var read = await _client.AppsV1.ReadNamespacedDeploymentScaleAsync("scaled", "default");
        var deployment = await _client.AppsV1.ReadNamespacedDeploymentAsync("scaled", "default");

        Assert.Equal(5, scale.Spec.Replicas);
        Assert.Equal(5, read.Spec.Replicas);
        Assert.Equal("app=scaled", read.Status.Selector);
        Assert.Equal(5, deployment.Spec.Replicas);
        Assert.Equal(2, deployment.Metadata.Generation);
    }

    [Fact]
    public async Task Status_ReplaceStatus_KeepsSpecAndMainUpdateKeepsStatus()
    {
        var created = await _client.AppsV1.CreateNamespacedDeploymentAsync(Objects.Deployment("status-d"), "default");
        created.Status = new V1DeploymentStatus { ReadyReplicas = 1, Replicas = 1 };
        created.Spec.Replicas = 9;

        var afterStatus = await _client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(created, "status-d", "default");
        var (statusReady, statusSpecReplicas) = (afterStatus.Status.ReadyReplicas, afterStatus.Spec.Replicas);
        afterStatus.Status = new V1DeploymentStatus { ReadyReplicas = 7 };
        var afterMain = await _client.AppsV1.ReplaceNamespacedDeploymentAsync(afterStatus, "status-d", "default");

        Assert.Equal(1, statusReady);
        Assert.Equal(1, statusSpecReplicas);
        Assert.Equal(1, afterMain.Status.ReadyReplicas);
    }

    [Fact]
    public async Task Status_CreateIgnoresClientStatus()
    {
        var svc = Objects.Service("status-svc");
        svc.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "1.2.3.4" }] } };

        var created = await _client.CoreV1.CreateNamespacedServiceAsync(svc, "default");

        Assert.Null(created.Status?.LoadBalancer?.Ingress);
    }

    [Fact]
    public async Task Binding_AssignsNodeOnceAndSetsPodScheduled()
    {
        await _client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("bind-me"), "default");
        var binding = new V1Binding { Metadata = new V1ObjectMeta { Name = "bind-me" }, Target = new V1ObjectReference { Kind = "Node", Name = "node-7" } };

        await _client.CoreV1.CreateNamespacedPodBindingAsync(binding, "bind-me", "default");
        var pod = await _client.CoreV1.ReadNamespacedPodAsync("bind-me", "default");

        Assert.Equal("node-7", pod.Spec.NodeName);
        Assert.Contains(pod.Status.Conditions, c => c.Type == "PodScheduled" && c.Status == "True");
        await StatusAssert.FailsAsync(() => _client.CoreV1.CreateNamespacedPodBindingAsync(binding, "bind-me", "default"), 409);
    }
}
