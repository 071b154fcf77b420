using k8s;
using k8s.Models;

namespace Berth.Client;

/// <summary>
/// The cache and work-queue key of an object, as client-go's <c>MetaNamespaceKeyFunc</c>:
/// <c>namespace/name</c>, or <c>name</c> for a cluster-scoped object.
/// </summary>
public static class ObjectKeys
{
    public static string Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return Of(obj.Metadata?.NamespaceProperty, obj.Metadata?.Name ?? string.Empty);
    }

    public static string Of(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    /// <summary>Splits a key made by <see cref="Of(string?, string)"/>; the namespace is <c>null</c> for cluster-scoped keys.</summary>
    public static (string? Namespace, string Name) Split(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
    }
}
