using Berth.Client;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using Berth.Controllers.ReplicaSets;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.DaemonSets;

/// <summary>
/// The DaemonSet controller (upstream <c>pkg/controller/daemon</c>): one pod per node that should run it, as
/// <see cref="DaemonSetPlanner"/> says. Pods are created with required node affinity on their node's name and bound
/// there by the scheduler, as in 1.32. Nodes coming, going or changing labels and taints re-sync every DaemonSet.
/// </summary>
public sealed partial class DaemonSetController : IController
{
    /// <summary>The event source, as upstream's DaemonSet controller names itself.</summary>
    public const string Component = "daemonset-controller";

    private readonly ControllerManager _manager;
    private readonly IApiClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILister<V1DaemonSet> _daemonSets;
    private readonly ILister<V1Pod> _pods;
    private readonly ILister<V1Node> _nodes;
    private readonly WorkQueue<string> _queue;
    private readonly ExpectationsTracker _expectations;
    private readonly PodControl _podControl;

    public DaemonSetController(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _manager = manager;
        _client = manager.Client;
        _time = manager.Options.TimeProvider;
        _logger = manager.Loggers.CreateLogger<DaemonSetController>();
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _time });
        _expectations = new ExpectationsTracker(_time);
        _podControl = new PodControl(_client, new EventRecorder(_client, _time, _logger), _expectations, Component);

        var daemonSets = manager.Informers.For<V1DaemonSet>();
        var pods = manager.Informers.For<V1Pod>();
        var nodes = manager.Informers.For<V1Node>();
        ControllerIndex.AddTo(pods);
        _daemonSets = daemonSets.Lister;
        _pods = pods.Lister;
        _nodes = nodes.Lister;
        daemonSets.AddHandler(new InformerHandler<V1DaemonSet>
        {
            Added = (ds, _) => _queue.Add(ObjectKeys.Of(ds)),
            Updated = (_, ds) => _queue.Add(ObjectKeys.Of(ds)),
            Deleted = ds => _expectations.Delete(ObjectKeys.Of(ds)),
        });
        pods.AddHandler(new InformerHandler<V1Pod> { Added = (p, _) => OnPod(p, added: true), Updated = (_, p) => OnPod(p, added: false), Deleted = OnPodDeleted });
        nodes.AddHandler(new InformerHandler<V1Node>
        {
            Added = (_, _) => EnqueueAll(),
            Updated = (old, node) =>
            {
                if (old.Metadata.ResourceVersion != node.Metadata.ResourceVersion)
                {
                    EnqueueAll();
                }
            },
            Deleted = _ => EnqueueAll(),
        });
    }

    public string Name => Component;

    public Task RunAsync(CancellationToken cancellationToken) =>
        WorkerLoop.RunAsync(_queue, _manager.Options.Workers, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken);

    private void EnqueueAll()
    {
        foreach (var ds in _daemonSets.List(null))
        {
            _queue.Add(ObjectKeys.Of(ds));
        }
    }

    private void OnPod(V1Pod pod, bool added)
    {
        if (OwnerOf(pod) is not { } ds)
        {
            return;
        }

        var key = ObjectKeys.Of(ds);
        _expectations.PodObserved(key, pod, added);
        _queue.Add(key);
    }

    private void OnPodDeleted(V1Pod pod)
    {
        if (OwnerOf(pod) is { } ds)
        {
            var key = ObjectKeys.Of(ds);
            _expectations.DeletionObserved(key, ObjectKeys.Of(pod));
            _queue.Add(key);
        }
    }

    private V1DaemonSet? OwnerOf(V1Pod pod) =>
        PodUtil.ControllerOf(pod.Metadata) is { Kind: "DaemonSet" } owner
        && _daemonSets.Get(pod.Metadata.NamespaceProperty, owner.Name) is { } ds
        && ds.Metadata.Uid == owner.Uid
            ? ds
            : null;

    /// <summary>Upstream <c>syncDaemonSet</c>: while earlier creates and deletes are all observed, create and delete as planned; then write status.</summary>
    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (_daemonSets.Get(ns, name) is not { } ds)
        {
            _expectations.Delete(key);
            return;
        }

        var pods = _pods.ByIndex(ControllerIndex.Name, ds.Metadata.Uid).ToList();
        var plan = DaemonSetPlanner.Plan(ds, _nodes.List(null), pods, _time.GetUtcNow());
        Exception? failure = null;
        if (_expectations.IsSatisfied(key) && ds.Metadata.DeletionTimestamp is null)
        {
            if (plan.Delete.Count > 0)
            {
                Log.Deleting(_logger, key, plan.Delete.Count);
                failure = await _podControl.DeletePodsAsync(key, ds, plan.Delete, (_, _) => { }, cancellationToken).ConfigureAwait(false);
            }

            if (plan.Create.Count > 0 && failure is null)
            {
                Log.Creating(_logger, key, plan.Create.Count);
                var toCreate = plan.Create.Select(node => DaemonSetPlanner.PodFor(ds, node)).ToList();
                (_, failure) = await _podControl.CreatePodsAsync(key, ds, toCreate, _ => { }, cancellationToken).ConfigureAwait(false);
            }
        }

        if (CanonicalJson.Render(plan.Status) != (ds.Status is null ? "null" : CanonicalJson.Render(ds.Status)))
        {
            var updated = ObjectCopy.Clone(ds);
            updated.Status = plan.Status;
            await _client.UpdateStatusAsync(updated, cancellationToken).ConfigureAwait(false);
        }

        if (failure is not null)
        {
            throw failure;
        }

        if (ds.Spec?.MinReadySeconds is > 0 and var seconds && plan.Status.NumberReady != (plan.Status.NumberAvailable ?? 0))
        {
            _queue.AddAfter(key, TimeSpan.FromSeconds(seconds));
        }
    }

    /// <summary>Event ids 4700–4749 (see README.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4700, Message = "Syncing DaemonSet {Key} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string key, string reason);

        [LoggerMessage(EventId = 4701, Level = LogLevel.Debug, Message = "DaemonSet {Key}: creating {Count} pods")]
        public static partial void Creating(ILogger logger, string key, int count);

        [LoggerMessage(EventId = 4702, Level = LogLevel.Debug, Message = "DaemonSet {Key}: deleting {Count} pods")]
        public static partial void Deleting(ILogger logger, string key, int count);
    }
}
