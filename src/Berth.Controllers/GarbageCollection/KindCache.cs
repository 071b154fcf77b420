using k8s;
using k8s.Models;

namespace Berth.Controllers.GarbageCollection;

/// <summary>
/// What the garbage collector needs of one kind: its informer's cache by UID and by owner UID, and the write verbs,
/// without knowing the model type (IApiClient's verbs are generic over it).
/// </summary>
internal abstract class KindCache
{
    public const string UidIndex = "gc.berth.dev/uid";
    public const string OwnerIndex = "gc.berth.dev/owner-uid";

    /// <summary>The API group (empty for core), as an ownerReference's apiVersion names it.</summary>
    public abstract string Group { get; }

    public abstract string Kind { get; }

    public abstract IKubernetesObject<V1ObjectMeta>? ByUid(string uid);

    /// <summary>The cached objects with an ownerReference to <paramref name="ownerUid"/>.</summary>
    public abstract IReadOnlyList<IKubernetesObject<V1ObjectMeta>> DependentsOf(string ownerUid);

    public abstract Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(string? ns, string name, CancellationToken cancellationToken);

    /// <summary>PUTs the object (a stale resourceVersion throws ConflictException).</summary>
    public abstract Task UpdateAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken);

    /// <summary>Deletes the object if it still has <paramref name="uid"/>; false when it was gone.</summary>
    public abstract Task<bool> DeleteAsync(string? ns, string name, string uid, string propagationPolicy, CancellationToken cancellationToken);

    /// <summary>The group of an apiVersion: <c>apps/v1</c> → <c>apps</c>, <c>v1</c> → empty.</summary>
    public static string GroupOf(string? apiVersion)
    {
        var slash = apiVersion?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash < 0 ? string.Empty : apiVersion![..slash];
    }
}
