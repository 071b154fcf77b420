using Berth.Client;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using Berth.Controllers.ReplicaSets;
using Berth.Core.Selectors;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.StatefulSets;

/// <summary>
/// The StatefulSet controller (upstream <c>pkg/controller/statefulset</c>): keeps pods <c>&lt;set&gt;-&lt;ordinal&gt;</c>
/// as <see cref="StatefulSetPlanner"/> says, one ControllerRevision per template (<see cref="StatefulSetRevisions"/>),
/// and the set's status. Handlers only enqueue set keys. No expectations are needed: pods have fixed names, so a
/// create from a stale cache meets AlreadyExists and a delete carries the pod's UID as a precondition.
/// </summary>
public sealed partial class StatefulSetController : IController
{
    /// <summary>The event source, as upstream's StatefulSet controller names itself.</summary>
    public const string Component = "statefulset-controller";

    private readonly ControllerManager _manager;
    private readonly IApiClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILister<V1StatefulSet> _sets;
    private readonly ILister<V1Pod> _pods;
    private readonly ILister<V1ControllerRevision> _revisions;
    private readonly WorkQueue<string> _queue;
    private readonly EventRecorder _events;

    public StatefulSetController(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _manager = manager;
        _client = manager.Client;
        _time = manager.Options.TimeProvider;
        _logger = manager.Loggers.CreateLogger<StatefulSetController>();
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _time });
        _events = new EventRecorder(_client, _time, _logger);

        var sets = manager.Informers.For<V1StatefulSet>();
        var pods = manager.Informers.For<V1Pod>();
        var revisions = manager.Informers.For<V1ControllerRevision>();
        ControllerIndex.AddTo(pods);
        ControllerIndex.AddTo(revisions);
        _sets = sets.Lister;
        _pods = pods.Lister;
        _revisions = revisions.Lister;
        sets.AddHandler(new InformerHandler<V1StatefulSet>
        {
            Added = (set, _) => _queue.Add(ObjectKeys.Of(set)),
            Updated = (_, set) => _queue.Add(ObjectKeys.Of(set)),
            Deleted = set => _queue.Add(ObjectKeys.Of(set)),
        });
        pods.AddHandler(new InformerHandler<V1Pod>
        {
            Added = (pod, _) => OnPodChanged(null, pod),
            Updated = OnPodChanged,
            Deleted = pod => OnPodChanged(null, pod),
        });
        revisions.AddHandler(new InformerHandler<V1ControllerRevision>
        {
            Added = (revision, _) => EnqueueOwner(revision.Metadata),
            Updated = (_, revision) => EnqueueOwner(revision.Metadata),
            Deleted = revision => EnqueueOwner(revision.Metadata),
        });
    }

    public string Name => Component;

    public Task RunAsync(CancellationToken cancellationToken) =>
        WorkerLoop.RunAsync(_queue, _manager.Options.Workers, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken);

    /// <summary>Upstream <c>addPod</c>/<c>updatePod</c>/<c>deletePod</c>: the owner (old and new) is synced; an orphan may be adopted.</summary>
    private void OnPodChanged(V1Pod? old, V1Pod pod)
    {
        if (old is not null && old.Metadata?.ResourceVersion == pod.Metadata?.ResourceVersion)
        {
            return; // a resync: nothing changed
        }

        if (old is not null && PodUtil.ControllerOf(old.Metadata)?.Uid != PodUtil.ControllerOf(pod.Metadata)?.Uid)
        {
            EnqueueOwner(old.Metadata);
        }

        if (PodUtil.ControllerOf(pod.Metadata) is { } owner)
        {
            EnqueueOwner(pod.Metadata);
            if (_sets.Get(pod.Metadata?.NamespaceProperty, owner.Name) is { Spec.MinReadySeconds: > 0 and var seconds } set
                && old is not null && !PodUtil.IsReady(old) && PodUtil.IsReady(pod))
            {
                // Available once minReadySeconds have passed; look again then (+1 s as upstream).
                _queue.AddAfter(ObjectKeys.Of(set), TimeSpan.FromSeconds(seconds + 1));
            }

            return;
        }

        foreach (var set in _sets.List(pod.Metadata?.NamespaceProperty))
        {
            if (StatefulSetPlanner.OrdinalOf(set.Metadata.Name, pod.Metadata?.Name) is not null
                && LabelSelector.FromLabelSelector(set.Spec?.Selector) is { IsEmpty: false } selector
                && selector.Matches(pod.Metadata?.Labels))
            {
                _queue.Add(ObjectKeys.Of(set));
            }
        }
    }

    private void EnqueueOwner(V1ObjectMeta? meta)
    {
        if (PodUtil.ControllerOf(meta) is { Kind: "StatefulSet" } owner
            && _sets.Get(meta!.NamespaceProperty, owner.Name) is { } set
            && set.Metadata.Uid == owner.Uid)
        {
            _queue.Add(ObjectKeys.Of(set));
        }
    }
}
