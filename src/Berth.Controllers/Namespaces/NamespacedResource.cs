using Berth.Client;
using Berth.Core.Resources;
using k8s;
using k8s.Models;

namespace Berth.Controllers.Namespaces;

/// <summary>
/// The two calls the namespace controller makes on one namespaced resource, without knowing its model type at compile
/// time (IApiClient's verbs are generic over the model).
/// </summary>
internal abstract class NamespacedResource
{
    public abstract ResourceInfo Info { get; }

    /// <summary>Every namespaced resource of <paramref name="registry"/>.</summary>
    public static IReadOnlyList<NamespacedResource> All(ResourceRegistry registry, IApiClient client) =>
        [.. registry.All
            .Where(r => r.Namespaced && r.IsStored && r.StoredAs is null) // a review is never stored; another version of a kind names the same objects
            .Select(r => (NamespacedResource)Activator.CreateInstance(typeof(NamespacedResource<>).MakeGenericType(r.ModelType), client, r)!)];

    /// <summary>The objects left in <paramref name="ns"/>.</summary>
    public abstract Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ListAsync(string ns, CancellationToken cancellationToken);

    /// <summary>Deletes one object; false when it was gone already.</summary>
    public abstract Task<bool> DeleteAsync(string ns, string name, V1DeleteOptions options, CancellationToken cancellationToken);
}
