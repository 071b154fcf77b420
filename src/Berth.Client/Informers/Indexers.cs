using k8s;
using k8s.Models;

namespace Berth.Client.Informers;

/// <summary>Index functions for <see cref="Informer{T}.AddIndexer"/>; an index maps one object to zero or more values.</summary>
public static class Indexers
{
    /// <summary>The built-in index every informer keeps, by <c>metadata.namespace</c>.</summary>
    public const string Namespace = "namespace";

    /// <summary>Files each object under the value of its label <paramref name="labelKey"/> (objects without it are not indexed).</summary>
    public static Func<T, IEnumerable<string>> ByLabel<T>(string labelKey)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(labelKey);
        return obj => obj.Metadata?.Labels is { } labels && labels.TryGetValue(labelKey, out var value) ? [value] : [];
    }
}
