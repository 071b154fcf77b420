using Berth.Client;
using Berth.Client.Informers;
using k8s.Models;

namespace Berth.Controllers.ReplicaSets;

/// <summary>
/// What a <see cref="ReplicaSetController"/> runs over, seen as ReplicaSets: the ReplicaSets themselves, or
/// ReplicationControllers through an adapter — upstream runs its ReplicaSet controller code for both
/// (<c>pkg/controller/replication/replication_controller.go</c>, whose informer, client and pod-control adapters are in
/// <c>conversion.go</c>). Pods get a controller reference of <see cref="ApiVersion"/>/<see cref="Kind"/>, events
/// name <see cref="Component"/>, and status is written back to the real object.
/// </summary>
internal sealed class ReplicaSetSource
{
    public required string ApiVersion { get; init; }

    public required string Kind { get; init; }

    /// <summary>The controller's name and event source (upstream's: <c>replicaset-controller</c>, <c>replication-controller</c>).</summary>
    public required string Component { get; init; }

    /// <summary>The informer cache, as ReplicaSets (the views of ReplicationControllers are converted on each read).</summary>
    public required ILister<V1ReplicaSet> Lister { get; init; }

    /// <summary>Registers handlers that receive the objects as ReplicaSets.</summary>
    public required Action<IInformerHandler<V1ReplicaSet>> AddHandler { get; init; }

    /// <summary>Reads the object from the API (not the cache): its metadata, or null when it is gone.</summary>
    public required Func<string, string, CancellationToken, Task<V1ObjectMeta?>> GetFreshAsync { get; init; }

    /// <summary>Writes the view's status to the real object through its status subresource.</summary>
    public required Func<V1ReplicaSet, CancellationToken, Task> UpdateStatusAsync { get; init; }

    public static ReplicaSetSource ReplicaSets(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var informer = manager.Informers.For<V1ReplicaSet>();
        var client = manager.Client;
        return new ReplicaSetSource
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Component = ReplicaSetController.Component,
            Lister = informer.Lister,
            AddHandler = informer.AddHandler,
            GetFreshAsync = async (ns, name, ct) => (await client.GetAsync<V1ReplicaSet>(ns, name, ct).ConfigureAwait(false))?.Metadata,
            UpdateStatusAsync = (rs, ct) => client.UpdateStatusAsync(rs, ct),
        };
    }

    public static ReplicaSetSource ReplicationControllers(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var informer = manager.Informers.For<V1ReplicationController>();
        var client = manager.Client;
        return new ReplicaSetSource
        {
            ApiVersion = "v1",
            Kind = "ReplicationController",
            Component = ReplicaSetController.ReplicationComponent,
            Lister = new ReplicationControllerLister(informer.Lister),
            AddHandler = handler => informer.AddHandler(new InformerHandler<V1ReplicationController>
            {
                Added = (rc, initial) => handler.OnAdd(ReplicationControllerConversion.ToReplicaSet(rc), initial),
                Updated = (old, rc) => handler.OnUpdate(ReplicationControllerConversion.ToReplicaSet(old), ReplicationControllerConversion.ToReplicaSet(rc)),
                Deleted = rc => handler.OnDelete(ReplicationControllerConversion.ToReplicaSet(rc)),
            }),
            GetFreshAsync = async (ns, name, ct) => (await client.GetAsync<V1ReplicationController>(ns, name, ct).ConfigureAwait(false))?.Metadata,
            UpdateStatusAsync = (rs, ct) => client.UpdateStatusAsync(ReplicationControllerConversion.ToReplicationController(rs), ct),
        };
    }
}
