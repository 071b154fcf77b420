using Berth.Client;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using Berth.Core.Resources;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.GarbageCollection;

/// <summary>
/// Deletes objects whose owners are gone and carries out the Foreground and Orphan deletion policies
/// (pkg/controller/garbagecollector). Owners are found by UID across the kinds that carry ownerReferences here; the
/// queue holds UIDs. Nothing is deleted on the caches' word alone: an owner missing from them is confirmed with a live
/// GET, and deletes carry the dependent's UID as a precondition.
/// </summary>
public sealed partial class GarbageCollector : IController
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";

    /// <summary>How soon an owner waiting for its blocking dependents is looked at again even without news.</summary>
    private static readonly TimeSpan _waitingRecheck = TimeSpan.FromSeconds(5);

    private readonly IApiClient _client;
    private readonly ControllerOptions _options;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<KindCache> _kinds;
    private readonly WorkQueue<string> _queue;

    public GarbageCollector(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _client = manager.Client;
        _options = manager.Options;
        _logger = manager.Loggers.CreateLogger<GarbageCollector>();
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = manager.Options.TimeProvider });
        _kinds =
        [
            Watch<V1Pod>(manager),
            Watch<V1ReplicaSet>(manager),
            Watch<V1Deployment>(manager),
            Watch<V1EndpointSlice>(manager),
            Watch<V1Endpoints>(manager),
            Watch<V1Service>(manager),
            Watch<V1ConfigMap>(manager),
            Watch<Corev1Event>(manager),
            Watch<V1StatefulSet>(manager),
            Watch<V1ControllerRevision>(manager),
            Watch<V1ReplicationController>(manager),
            Watch<V1Secret>(manager),
            Watch<V1ServiceAccount>(manager),
            Watch<V1Job>(manager),
            Watch<V1CronJob>(manager),
        ];
    }

    public string Name => "garbage-collector";

    public Task RunAsync(CancellationToken cancellationToken) =>
        WorkerLoop.RunAsync(
            _queue,
            _options.Workers,
            SyncAsync,
            (uid, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, uid, failure.Reason),
            cancellationToken,
            notDone: uid =>
            {
                // Waiting on others (dependents still going, an owner still present): look again shortly.
                _queue.Forget(uid);
                _queue.AddAfter(uid, _waitingRecheck);
            });

    private KindCache Watch<T>(ControllerManager manager)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var info = ResourceRegistry.Default.All.First(r => r.ModelType == typeof(T));
        var informer = manager.Informers.For<T>();
        var cache = new KindCache<T>(info, informer, _client);
        informer.AddHandler(new InformerHandler<T>
        {
            Added = (obj, _) => OnChanged(obj),
            Updated = (_, obj) => OnChanged(obj),
            Deleted = OnDeleted,
        });
        return cache;
    }

    /// <summary>An object with owners may have lost one; an owner being deleted has dependents to deal with.</summary>
    private void OnChanged(IKubernetesObject<V1ObjectMeta> obj)
    {
        var meta = obj.Metadata;
        if (meta?.Uid is not { } uid)
        {
            return;
        }

        if (meta.OwnerReferences is { Count: > 0 } || (meta.DeletionTimestamp is not null && HasGcFinalizer(meta)))
        {
            _queue.Add(uid);
        }
    }

    /// <summary>A vanished object: its dependents may now be orphans, and its owners may be waiting for it.</summary>
    private void OnDeleted(IKubernetesObject<V1ObjectMeta> obj)
    {
        var meta = obj.Metadata;
        if (meta?.Uid is not { } uid)
        {
            return;
        }

        foreach (var kind in _kinds)
        {
            foreach (var dependent in kind.DependentsOf(uid))
            {
                _queue.Add(dependent.Metadata.Uid);
            }
        }

        foreach (var owner in meta.OwnerReferences ?? [])
        {
            if (!string.IsNullOrEmpty(owner.Uid))
            {
                _queue.Add(owner.Uid);
            }
        }
    }

    private static bool HasGcFinalizer(V1ObjectMeta meta) =>
        meta.Finalizers is { } f && (f.Contains(ForegroundFinalizer) || f.Contains(OrphanFinalizer));

    /// <summary>Event ids 4100–4119 (see src/Berth.Controllers/README.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "Deleting {Kind} {Namespace}/{Name} ({Policy}): {Why}")]
        public static partial void Deleting(ILogger logger, string kind, string? @namespace, string name, string policy, string why);

        [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Removed ownerReferences {Owners} from {Kind} {Namespace}/{Name}")]
        public static partial void RemovedOwners(ILogger logger, string owners, string kind, string? @namespace, string name);

        [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "Removed finalizer {Finalizer} from {Kind} {Namespace}/{Name}")]
        public static partial void RemovedFinalizer(ILogger logger, string finalizer, string kind, string? @namespace, string name);

        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4303, Message = "Garbage collection of {Uid} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string uid, string reason);
    }
}
