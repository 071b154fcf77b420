using Berth.Client.Informers;
using k8s.Models;

namespace Berth.Controllers.ReplicaSets;

/// <summary>The ReplicationController informer's cache read as ReplicaSets (upstream <c>conversion.go</c>'s lister adapter).</summary>
internal sealed class ReplicationControllerLister : ILister<V1ReplicaSet>
{
    private readonly ILister<V1ReplicationController> _inner;

    public ReplicationControllerLister(ILister<V1ReplicationController> inner) => _inner = inner;

    public V1ReplicaSet? Get(string? ns, string name) =>
        _inner.Get(ns, name) is { } rc ? ReplicationControllerConversion.ToReplicaSet(rc) : null;

    public IReadOnlyList<V1ReplicaSet> List(string? ns = null) =>
        [.. _inner.List(ns).Select(ReplicationControllerConversion.ToReplicaSet)];

    public IReadOnlyList<V1ReplicaSet> ByIndex(string indexName, string value) =>
        [.. _inner.ByIndex(indexName, value).Select(ReplicationControllerConversion.ToReplicaSet)];
}
