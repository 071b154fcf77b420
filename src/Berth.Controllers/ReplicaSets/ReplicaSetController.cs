using Berth.Client;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using Berth.Core.Selectors;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.ReplicaSets;

/// <summary>
/// The ReplicaSet controller (upstream <c>pkg/controller/replicaset/replica_set.go</c>): keeps each ReplicaSet's pod
/// count at spec.replicas and its status current. Informer handlers only enqueue ReplicaSet keys and settle
/// expectations; workers claim pods (adopt / release), create or delete pods as <see cref="ReplicaSetPlanner"/> says —
/// at most once per round of expectations, so a lagging cache never causes a double create — and write status.
/// </summary>
public sealed partial class ReplicaSetController : IController
{
    /// <summary>The event source, as upstream's ReplicaSet controller names itself.</summary>
    public const string Component = "replicaset-controller";

    /// <summary>The event source of the same controller run over ReplicationControllers, as upstream's names itself.</summary>
    public const string ReplicationComponent = "replication-controller";

    private readonly ControllerManager _manager;
    private readonly IApiClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReplicaSetSource _source;
    private readonly ILister<V1ReplicaSet> _replicaSets;
    private readonly ILister<V1Pod> _pods;
    private readonly WorkQueue<string> _queue;
    private readonly ExpectationsTracker _expectations;
    private readonly PodControl _podControl;

    public ReplicaSetController(ControllerManager manager)
        : this(manager, ReplicaSetSource.ReplicaSets(manager))
    {
    }

    private ReplicaSetController(ControllerManager manager, ReplicaSetSource source)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _manager = manager;
        _source = source;
        _client = manager.Client;
        _time = manager.Options.TimeProvider;
        _logger = manager.Loggers.CreateLogger<ReplicaSetController>();
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _time });
        _expectations = new ExpectationsTracker(_time);
        _podControl = new PodControl(_client, new EventRecorder(_client, _time, _logger), _expectations, source.Component);

        var pods = manager.Informers.For<V1Pod>();
        ControllerIndex.AddTo(pods);
        _replicaSets = source.Lister;
        _pods = pods.Lister;
        source.AddHandler(new InformerHandler<V1ReplicaSet>
        {
            Added = (rs, _) => _queue.Add(ObjectKeys.Of(rs)),
            Updated = (_, rs) => _queue.Add(ObjectKeys.Of(rs)),
            Deleted = rs =>
            {
                _expectations.Delete(ObjectKeys.Of(rs));
                _queue.Add(ObjectKeys.Of(rs));
            },
        });
        pods.AddHandler(new InformerHandler<V1Pod> { Added = (p, _) => OnPodAdded(p), Updated = OnPodUpdated, Deleted = OnPodDeleted });
    }

    /// <summary>
    /// The ReplicationController controller: this controller's code over ReplicationControllers seen as ReplicaSets
    /// (<see cref="ReplicationControllerConversion"/>), as upstream's <c>NewReplicationManager</c> does.
    /// </summary>
    public static ReplicaSetController ForReplicationControllers(ControllerManager manager) =>
        new(manager, ReplicaSetSource.ReplicationControllers(manager));

    public string Name => _source.Component;

    public Task RunAsync(CancellationToken cancellationToken) =>
        WorkerLoop.RunAsync(_queue, _manager.Options.Workers, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken);

    /// <summary>Upstream <c>addPod</c>: a new pod settles a create expectation of its owner; an orphan may be adopted.</summary>
    private void OnPodAdded(V1Pod pod)
    {
        if (PodUtil.IsTerminating(pod))
        {
            // Restarted controller, pod already being deleted: count it as a deletion.
            OnPodDeleted(pod);
            return;
        }

        if (PodUtil.ControllerOf(pod.Metadata) is { } owner)
        {
            if (OwnerOf(pod.Metadata?.NamespaceProperty, owner) is { } rs)
            {
                var key = ObjectKeys.Of(rs);
                _expectations.CreationObserved(key);
                _queue.Add(key);
            }

            return;
        }

        EnqueueMatching(pod);
    }

    /// <summary>Upstream <c>updatePod</c>: owner changes, label changes (adoption), deletion and becoming ready.</summary>
    private void OnPodUpdated(V1Pod old, V1Pod pod)
    {
        if (old.Metadata?.ResourceVersion == pod.Metadata?.ResourceVersion)
        {
            return; // a resync: nothing changed
        }

        var labelsChanged = !ObjectCopy.MapsEqual(old.Metadata?.Labels, pod.Metadata?.Labels);
        if (PodUtil.IsTerminating(pod))
        {
            // Graceful deletion: the pod is as good as gone; count it now (upstream does the same).
            OnPodDeleted(pod);
            if (labelsChanged)
            {
                OnPodDeleted(old);
            }

            return;
        }

        var oldOwner = PodUtil.ControllerOf(old.Metadata);
        var owner = PodUtil.ControllerOf(pod.Metadata);
        if (oldOwner is not null && oldOwner.Uid != owner?.Uid && OwnerOf(old.Metadata?.NamespaceProperty, oldOwner) is { } previous)
        {
            _queue.Add(ObjectKeys.Of(previous));
        }

        if (owner is not null)
        {
            if (OwnerOf(pod.Metadata?.NamespaceProperty, owner) is { } rs)
            {
                var key = ObjectKeys.Of(rs);
                _queue.Add(key);
                if (!PodUtil.IsReady(old) && PodUtil.IsReady(pod) && rs.Spec?.MinReadySeconds is > 0 and var seconds)
                {
                    // Available once minReadySeconds have passed; look again then (+1 s as upstream).
                    _queue.AddAfter(key, TimeSpan.FromSeconds(seconds + 1));
                }
            }

            return;
        }

        if (labelsChanged || oldOwner is not null)
        {
            EnqueueMatching(pod);
        }
    }

    /// <summary>Upstream <c>deletePod</c>: settles a delete expectation of the owner.</summary>
    private void OnPodDeleted(V1Pod pod)
    {
        if (PodUtil.ControllerOf(pod.Metadata) is { } owner && OwnerOf(pod.Metadata?.NamespaceProperty, owner) is { } rs)
        {
            var key = ObjectKeys.Of(rs);
            _expectations.DeletionObserved(key, ObjectKeys.Of(pod));
            _queue.Add(key);
        }
    }

    private V1ReplicaSet? OwnerOf(string? ns, V1OwnerReference owner) =>
        owner.Kind == _source.Kind && _replicaSets.Get(ns, owner.Name) is { } rs && rs.Metadata.Uid == owner.Uid ? rs : null;

    /// <summary>An orphan: every ReplicaSet of the namespace whose selector matches may adopt it.</summary>
    private void EnqueueMatching(V1Pod pod)
    {
        foreach (var rs in _replicaSets.List(pod.Metadata?.NamespaceProperty))
        {
            if (rs.Spec?.Selector is { } selector && LabelSelector.FromLabelSelector(selector) is { IsEmpty: false } parsed && parsed.Matches(pod.Metadata?.Labels))
            {
                _queue.Add(ObjectKeys.Of(rs));
            }
        }
    }
}
