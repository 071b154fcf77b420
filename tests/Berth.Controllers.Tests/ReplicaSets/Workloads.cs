using Berth.Client;
using k8s.Models;

namespace Berth.Controllers.Tests.ReplicaSets;

/// <summary>Workload objects and reads for the integration tests of the ReplicaSets, Deployments and Scheduling folders.</summary>
internal static class Workloads
{
    public static V1PodTemplateSpec Template(string app, string image = "nginx:1") => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = image }] },
    };

    public static V1ReplicaSet ReplicaSet(string ns, string name, int replicas, int minReadySeconds = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            MinReadySeconds = minReadySeconds,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Template(name),
        },
    };

    public static V1Deployment Deployment(string ns, string name, int replicas, string image = "nginx:1", V1DeploymentStrategy? strategy = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Template(name, image),
            Strategy = strategy,
        },
    };

    /// <summary>The namespace's pods that are not being deleted.</summary>
    public static async Task<List<V1Pod>> ActivePodsAsync(IApiClient client, string ns) =>
        [.. (await client.ListAsync<V1Pod>(ns, null, CancellationToken.None)).Items.Where(p => p.Metadata.DeletionTimestamp is null)];

    public static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
