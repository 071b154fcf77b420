using System.Collections.Immutable;
using k8s;
using k8s.Models;

namespace Berth.Client.Informers;

/// <summary>
/// One immutable snapshot of an informer's objects and indexes. The informer swaps in a new snapshot after each
/// change, so readers never lock and never see a half-applied change.
/// </summary>
internal sealed class InformerCache<T> : ILister<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ImmutableDictionary<string, Func<T, IEnumerable<string>>> _indexers;
    private readonly ImmutableDictionary<string, ImmutableDictionary<string, ImmutableHashSet<string>>> _indexes;

    private InformerCache(
        ImmutableDictionary<string, T> items,
        ImmutableDictionary<string, Func<T, IEnumerable<string>>> indexers,
        ImmutableDictionary<string, ImmutableDictionary<string, ImmutableHashSet<string>>> indexes)
    {
        Items = items;
        _indexers = indexers;
        _indexes = indexes;
    }

    /// <summary>Objects by <see cref="ObjectKeys"/> key.</summary>
    public ImmutableDictionary<string, T> Items { get; }

    public static InformerCache<T> Empty(IReadOnlyDictionary<string, Func<T, IEnumerable<string>>> indexers)
    {
        var all = indexers.ToImmutableDictionary().SetItem(Indexers.Namespace, static o => [o.Metadata?.NamespaceProperty ?? string.Empty]);
        return new(
            ImmutableDictionary<string, T>.Empty,
            all,
            all.Keys.ToImmutableDictionary(k => k, _ => ImmutableDictionary<string, ImmutableHashSet<string>>.Empty));
    }

    public T? Get(string? ns, string name) => Items.GetValueOrDefault(ObjectKeys.Of(ns, name));

    public IReadOnlyList<T> List(string? ns = null) =>
        ns is null ? Items.Values.ToList() : ByIndex(Indexers.Namespace, ns);

    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        if (!_indexes.TryGetValue(indexName, out var index))
        {
            throw new ArgumentException($"no index named '{indexName}'", nameof(indexName));
        }

        return index.TryGetValue(value, out var keys) ? keys.Select(k => Items[k]).ToList() : [];
    }

    /// <summary>The snapshot with <paramref name="obj"/> stored under <paramref name="key"/> (replacing any older one).</summary>
    public InformerCache<T> With(string key, T obj)
    {
        var indexes = Items.TryGetValue(key, out var old) ? Unindex(_indexes, key, old) : _indexes;
        return new(Items.SetItem(key, obj), _indexers, Index(indexes, key, obj));
    }

    public InformerCache<T> Without(string key) =>
        Items.TryGetValue(key, out var old) ? new(Items.Remove(key), _indexers, Unindex(_indexes, key, old)) : this;

    /// <summary>A snapshot holding exactly <paramref name="items"/>, with the same indexers.</summary>
    public InformerCache<T> Replace(IEnumerable<KeyValuePair<string, T>> items)
    {
        var fresh = Empty(_indexers);
        var builder = ImmutableDictionary.CreateBuilder<string, T>();
        var indexes = fresh._indexes;
        foreach (var (key, obj) in items)
        {
            builder[key] = obj;
        }

        foreach (var (key, obj) in builder)
        {
            indexes = Index(indexes, key, obj);
        }

        return new(builder.ToImmutable(), _indexers, indexes);
    }

    private ImmutableDictionary<string, ImmutableDictionary<string, ImmutableHashSet<string>>> Index(
        ImmutableDictionary<string, ImmutableDictionary<string, ImmutableHashSet<string>>> indexes, string key, T obj)
    {
        foreach (var (name, function) in _indexers)
        {
            var index = indexes[name];
            foreach (var value in function(obj))
            {
                index = index.SetItem(value, index.GetValueOrDefault(value, ImmutableHashSet<string>.Empty).Add(key));
            }

            indexes = indexes.SetItem(name, index);
        }

        return indexes;
    }

    private ImmutableDictionary<string, ImmutableDictionary<string, ImmutableHashSet<string>>> Unindex(
        ImmutableDictionary<string, ImmutableDictionary<string, ImmutableHashSet<string>>> indexes, string key, T obj)
    {
        foreach (var (name, function) in _indexers)
        {
            var index = indexes[name];
            foreach (var value in function(obj))
            {
                if (index.TryGetValue(value, out var keys))
                {
                    keys = keys.Remove(key);
                    index = keys.IsEmpty ? index.Remove(value) : index.SetItem(value, keys);
                }
            }

            indexes = indexes.SetItem(name, index);
        }

        return indexes;
    }
}
