using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Berth.Core.Strategies;
using k8s;
using k8s.Models;

namespace Berth.Core.Resources;

/// <summary>Every resource the API server serves, looked up by group + plural or by kind.</summary>
public sealed class ResourceRegistry
{
    private readonly FrozenDictionary<(string Group, string Plural), ResourceInfo> _byResource;
    private readonly FrozenDictionary<(string Group, string Kind), ResourceInfo> _byKind;

    public ResourceRegistry(IEnumerable<ResourceInfo> resources)
    {
        All = resources.ToList();
        _byResource = All.ToFrozenDictionary(r => (r.Group, r.Plural));
        _byKind = All.ToFrozenDictionary(r => (r.Group, r.Kind));
    }

    public IReadOnlyList<ResourceInfo> All { get; }

    public static ResourceRegistry Default { get; } = new(
    [
        Make<V1Namespace>("", "v1", "Namespace", "namespaces", false, new NamespaceStrategy(), ["ns"], [], ["status", "finalize"]),
        Make<V1Node>("", "v1", "Node", "nodes", false, new NodeStrategy(), ["no"], [], ["status", "proxy"]),
        Make<V1Pod>("", "v1", "Pod", "pods", true, new PodStrategy(), ["po"], ["all"], ["status", "binding", "log", "exec", "attach", "portforward", "proxy"]),
        Make<V1Service>("", "v1", "Service", "services", true, new ServiceStrategy(), ["svc"], ["all"], ["status", "proxy"]),
        Make<V1Endpoints>("", "v1", "Endpoints", "endpoints", true, new EndpointsStrategy(), ["ep"], [], []),
        Make<Corev1Event>("", "v1", "Event", "events", true, new EventStrategy(), ["ev"], [], []),
        Make<V1ConfigMap>("", "v1", "ConfigMap", "configmaps", true, new ConfigMapStrategy(), ["cm"], [], []),
        Make<V1Deployment>("apps", "v1", "Deployment", "deployments", true, new DeploymentStrategy(), ["deploy"], ["all"], ["status", "scale"]),
        Make<V1ReplicaSet>("apps", "v1", "ReplicaSet", "replicasets", true, new ReplicaSetStrategy(), ["rs"], ["all"], ["status", "scale"]),
        Make<V1EndpointSlice>("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, new EndpointSliceStrategy(), [], [], []),
        Make<V1Lease>("coordination.k8s.io", "v1", "Lease", "leases", true, new LeaseStrategy(), [], [], []),
    ]);

    public ResourceInfo? Find(string group, string plural) => _byResource.GetValueOrDefault((group, plural));

    public ResourceInfo? FindKind(string group, string kind) => _byKind.GetValueOrDefault((group, kind));

    private static ResourceInfo Make<T>(
        string group,
        string version,
        string kind,
        string plural,
        bool namespaced,
        IResourceStrategy strategy,
        string[] shortNames,
        string[] categories,
        string[] subresources)
        where T : class, IKubernetesObject<V1ObjectMeta> => new()
        {
            Group = group,
            Version = version,
            Kind = kind,
            Plural = plural,
            Singular = kind.ToLowerInvariant(),
            Namespaced = namespaced,
            ModelType = typeof(T),
            Strategy = strategy,
            ShortNames = shortNames,
            Categories = categories,
            Subresources = subresources,
            Decode = static node => KubernetesJson.Deserialize<T>(node.ToJsonString()),
        };
}
