using Berth.ApiServer.Rest;
using Berth.Core.Resources;
using k8s.Models;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// Answers the Node authorizer's one graph question — is this Secret, ConfigMap or ServiceAccount referenced by a pod bound to this
/// node? — by reading the namespace's pods from the store (kubernetes keeps an informer-fed graph,
/// <c>plugin/pkg/auth/authorizer/node/graph.go</c>; a node reads these only when a container starts, so a read per
/// question costs little and is never stale). The references are <c>podutil.VisitPodSecretNames</c> and
/// <c>VisitPodConfigmapNames</c>: env, envFrom, volumes and projected volumes of every container, image pull secrets and
/// CSI secret references.
/// </summary>
internal sealed class NodePodReferences
{
    private readonly ObjectStore _objects;
    private readonly ResourceInfo _pods;

    public NodePodReferences(ObjectStore objects, ResourceRegistry registry)
    {
        _objects = objects;
        _pods = registry.Find("", "pods")!;
    }

    public async ValueTask<bool> ReferencedAsync(string nodeName, PodReference kind, string ns, string name, CancellationToken cancellationToken)
    {
        var list = await _objects.Store.ListAsync(ObjectStore.Prefix(_pods, ns), null, 0, cancellationToken).ConfigureAwait(false);
        foreach (var kv in list.Items)
        {
            var pod = (V1Pod)_objects.Decode(_pods, kv).Object;
            if (pod.Spec?.NodeName == nodeName && References(pod, kind).Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The names of the objects of <paramref name="kind"/> that <paramref name="pod"/> refers to.</summary>
    public static IEnumerable<string> References(V1Pod pod, PodReference kind)
    {
        var spec = pod.Spec ?? new V1PodSpec();
        if (kind == PodReference.ServiceAccount)
        {
            // The graph's pod → service account edge (graph_populator.go); a pod that names none runs as "default"
            // (ServiceAccount admission fills the name in; a pod stored before it did has none).
            yield return string.IsNullOrEmpty(spec.ServiceAccountName) ? "default" : spec.ServiceAccountName;
            yield break;
        }

        if (kind == PodReference.Secret)
        {
            foreach (var pull in spec.ImagePullSecrets ?? [])
            {
                yield return pull?.Name ?? "";
            }
        }

        foreach (var (env, envFrom) in Containers(spec))
        {
            foreach (var var in env ?? [])
            {
                var name = kind == PodReference.Secret ? var?.ValueFrom?.SecretKeyRef?.Name : var?.ValueFrom?.ConfigMapKeyRef?.Name;
                if (name is not null)
                {
                    yield return name;
                }
            }

            foreach (var source in envFrom ?? [])
            {
                var name = kind == PodReference.Secret ? source?.SecretRef?.Name : source?.ConfigMapRef?.Name;
                if (name is not null)
                {
                    yield return name;
                }
            }
        }

        foreach (var volume in spec.Volumes ?? [])
        {
            var direct = kind == PodReference.Secret ? volume?.Secret?.SecretName ?? volume?.Csi?.NodePublishSecretRef?.Name : volume?.ConfigMap?.Name;
            if (direct is not null)
            {
                yield return direct;
            }

            foreach (var projected in volume?.Projected?.Sources ?? [])
            {
                var name = kind == PodReference.Secret ? projected?.Secret?.Name : projected?.ConfigMap?.Name;
                if (name is not null)
                {
                    yield return name;
                }
            }
        }
    }

    private static IEnumerable<(IList<V1EnvVar>? Env, IList<V1EnvFromSource>? EnvFrom)> Containers(V1PodSpec spec)
    {
        foreach (var c in spec.InitContainers ?? [])
        {
            yield return (c?.Env, c?.EnvFrom);
        }

        foreach (var c in spec.Containers ?? [])
        {
            yield return (c?.Env, c?.EnvFrom);
        }

        foreach (var c in spec.EphemeralContainers ?? [])
        {
            yield return (c?.Env, c?.EnvFrom);
        }
    }
}
