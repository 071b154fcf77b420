using Berth.Client;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using Berth.Controllers.ReplicaSets;
using Berth.Core.Selectors;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Deployments;

/// <summary>
/// The Deployment controller (upstream <c>pkg/controller/deployment/deployment_controller.go</c>): each sync claims the
/// Deployment's ReplicaSets (adopting orphans its selector matches, releasing those it no longer matches), runs
/// <see cref="DeploymentPlanner"/> for one step and applies the plan in its documented order. The writes' watch events
/// (ReplicaSet status moving as pods become available) drive the next step, as upstream.
/// </summary>
public sealed partial class DeploymentController : IController
{
    /// <summary>The event source, as upstream's Deployment controller names itself.</summary>
    public const string Component = "deployment-controller";

    private readonly ControllerManager _manager;
    private readonly IApiClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILister<V1Deployment> _deployments;
    private readonly ILister<V1ReplicaSet> _replicaSets;
    private readonly ILister<V1Pod> _pods;
    private readonly WorkQueue<string> _queue;
    private readonly EventRecorder _events;

    public DeploymentController(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _manager = manager;
        _client = manager.Client;
        _time = manager.Options.TimeProvider;
        _logger = manager.Loggers.CreateLogger<DeploymentController>();
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _time });
        _events = new EventRecorder(_client, _time, _logger);

        var deployments = manager.Informers.For<V1Deployment>();
        var replicaSets = manager.Informers.For<V1ReplicaSet>();
        var pods = manager.Informers.For<V1Pod>();
        ControllerIndex.AddTo(replicaSets);
        ControllerIndex.AddTo(pods);
        _deployments = deployments.Lister;
        _replicaSets = replicaSets.Lister;
        _pods = pods.Lister;
        deployments.AddHandler(new InformerHandler<V1Deployment>
        {
            Added = (d, _) => _queue.Add(ObjectKeys.Of(d)),
            Updated = (_, d) => _queue.Add(ObjectKeys.Of(d)),
            Deleted = d => _queue.Add(ObjectKeys.Of(d)),
        });
        replicaSets.AddHandler(new InformerHandler<V1ReplicaSet>
        {
            Added = (rs, _) => OnReplicaSetChanged(null, rs),
            Updated = OnReplicaSetChanged,
            Deleted = rs => EnqueueOwner(rs.Metadata),
        });
        pods.AddHandler(new InformerHandler<V1Pod> { Deleted = OnPodDeleted });
    }

    public string Name => Component;

    public Task RunAsync(CancellationToken cancellationToken) =>
        WorkerLoop.RunAsync(_queue, _manager.Options.Workers, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken);

    /// <summary>Upstream <c>addReplicaSet</c> / <c>updateReplicaSet</c>: the owner (old and new) or, for an orphan, every matching Deployment.</summary>
    private void OnReplicaSetChanged(V1ReplicaSet? old, V1ReplicaSet rs)
    {
        if (old is not null && old.Metadata?.ResourceVersion == rs.Metadata?.ResourceVersion)
        {
            return;
        }

        var oldOwner = PodUtil.ControllerOf(old?.Metadata);
        if (oldOwner is not null && oldOwner.Uid != PodUtil.ControllerOf(rs.Metadata)?.Uid)
        {
            EnqueueOwner(old!.Metadata);
        }

        if (PodUtil.ControllerOf(rs.Metadata) is not null)
        {
            EnqueueOwner(rs.Metadata);
            return;
        }

        foreach (var d in _deployments.List(rs.Metadata?.NamespaceProperty))
        {
            if (Selector(d) is { } selector && selector.Matches(rs.Metadata?.Labels))
            {
                _queue.Add(ObjectKeys.Of(d));
            }
        }
    }

    /// <summary>Upstream <c>deletePod</c>: a Recreate rollout waits for the old pods to be gone.</summary>
    private void OnPodDeleted(V1Pod pod)
    {
        if (PodUtil.ControllerOf(pod.Metadata) is { Kind: "ReplicaSet" } owner
            && _replicaSets.Get(pod.Metadata.NamespaceProperty, owner.Name) is { } rs
            && rs.Metadata.Uid == owner.Uid
            && OwnerOf(rs.Metadata) is { } d
            && !DeploymentMath.IsRollingUpdate(d))
        {
            _queue.Add(ObjectKeys.Of(d));
        }
    }

    private void EnqueueOwner(V1ObjectMeta? meta)
    {
        if (OwnerOf(meta) is { } d)
        {
            _queue.Add(ObjectKeys.Of(d));
        }
    }

    private V1Deployment? OwnerOf(V1ObjectMeta? meta) =>
        PodUtil.ControllerOf(meta) is { Kind: "Deployment" } owner
        && _deployments.Get(meta!.NamespaceProperty, owner.Name) is { } d
        && d.Metadata.Uid == owner.Uid
            ? d
            : null;

    /// <summary>The Deployment's selector, or null when it has none or it selects everything (upstream ignores those).</summary>
    private static LabelSelector? Selector(V1Deployment d) =>
        d.Spec?.Selector is { } selector && LabelSelector.FromLabelSelector(selector) is { IsEmpty: false } parsed ? parsed : null;
}
