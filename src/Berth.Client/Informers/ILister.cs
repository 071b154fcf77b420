using k8s;
using k8s.Models;

namespace Berth.Client.Informers;

/// <summary>Reads an informer's cache. Objects are shared and read-only: <see cref="ObjectCopy.Clone{T}"/> before changing one.</summary>
public interface ILister<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The object <c>ns/name</c> (or <c>name</c> when <paramref name="ns"/> is null), or null.</summary>
    T? Get(string? ns, string name);

    /// <summary>Every object, or those of one namespace.</summary>
    IReadOnlyList<T> List(string? ns = null);

    /// <summary>The objects an indexer filed under <paramref name="value"/> (see <see cref="Indexers"/>).</summary>
    IReadOnlyList<T> ByIndex(string indexName, string value);
}
