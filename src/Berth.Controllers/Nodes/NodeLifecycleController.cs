using System.Collections.Concurrent;
using Berth.Client;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.Nodes;

/// <summary>
/// kube-controller-manager's node lifecycle controller (<c>pkg/controller/nodelifecycle</c>), single zone and without
/// eviction rate limits. Every <see cref="ControllerOptions.NodeMonitorPeriod"/> it checks each Node's health signals —
/// its Lease in <c>kube-node-lease</c> (renewTime) and its Ready condition's heartbeat — by this controller's own clock:
/// a Node with neither changing for <see cref="ControllerOptions.NodeMonitorGracePeriod"/> gets its Ready, MemoryPressure,
/// DiskPressure and PIDPressure conditions set to Unknown (<c>NodeStatusUnknown</c>), and every pod on it Ready=False
/// (<c>MarkPodsNotReady</c>), so the EndpointSlice controller marks their endpoints not ready. The conditions map to
/// taints: <c>node.kubernetes.io/unreachable</c> (Ready Unknown) or <c>not-ready</c> (Ready False) with NoSchedule (a
/// queue-driven pass on every Node change) and NoExecute (the monitor pass); a Ready node loses them. Pods on a Node
/// with NoExecute taints are deleted when their tolerations run out (the taint eviction controller).
/// </summary>
public sealed partial class NodeLifecycleController : IController
{
    public const string Component = "node-controller";
    public const string TaintEvictionComponent = "taint-eviction-controller";
    public const string LeaseNamespace = "kube-node-lease";

    /// <summary>Upstream's <c>NodeHealthUpdateRetry</c>: status writes retried after a conflict.</summary>
    private const int UpdateRetries = 5;

    private readonly IApiClient _client;
    private readonly ControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILister<V1Node> _nodes;
    private readonly ILister<V1Lease> _leases;
    private readonly ILister<V1Pod> _pods;
    private readonly EventRecorder _events;

    /// <summary>Nodes whose condition-driven NoSchedule taints need a look (upstream <c>nodeUpdateQueue</c>).</summary>
    private readonly WorkQueue<string> _nodeQueue;

    /// <summary>Pods newly bound to a Node (upstream <c>podUpdateQueue</c>): marked not ready when that Node is not.</summary>
    private readonly WorkQueue<string> _podQueue;

    private readonly ConcurrentDictionary<string, NodeHealth> _health = new(StringComparer.Ordinal);

    /// <summary>Nodes whose pods could not all be marked not ready; the next pass tries again.</summary>
    private readonly ConcurrentDictionary<string, bool> _retry = new(StringComparer.Ordinal);

    /// <summary>The Nodes the monitor pass has seen (only it reads and writes this).</summary>
    private readonly Dictionary<string, V1Node> _known = new(StringComparer.Ordinal);

    public NodeLifecycleController(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _client = manager.Client;
        _options = manager.Options;
        _time = manager.Options.TimeProvider;
        _logger = manager.Loggers.CreateLogger<NodeLifecycleController>();
        _events = new EventRecorder(_client, _time, _logger);
        _nodeQueue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _time });
        _podQueue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _time });

        var nodes = manager.Informers.For<V1Node>();
        var pods = manager.Informers.For<V1Pod>();
        PodNodeIndex.AddTo(pods);
        _nodes = nodes.Lister;
        _pods = pods.Lister;
        _leases = manager.Informers.For<V1Lease>().Lister;
        nodes.AddHandler(new InformerHandler<V1Node>
        {
            Added = (n, _) => _nodeQueue.Add(n.Metadata.Name),
            Updated = (_, n) => _nodeQueue.Add(n.Metadata.Name),
            Deleted = n => _retry.TryRemove(n.Metadata.Name, out _),
        });
        pods.AddHandler(new InformerHandler<V1Pod>
        {
            Added = (p, _) => OnPod(null, p),
            Updated = OnPod,
        });
    }

    public string Name => "node-lifecycle";

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(
            WorkerLoop.RunAsync(_nodeQueue, _options.Workers, SyncNoScheduleTaintsAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken),
            WorkerLoop.RunAsync(_podQueue, _options.Workers, SyncPodAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken),
            MonitorLoopAsync(cancellationToken));

    /// <summary>Upstream <c>podUpdated</c>: only a pod's (re)assignment to a node matters here.</summary>
    private void OnPod(V1Pod? old, V1Pod pod)
    {
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName) && (old is null || old.Spec?.NodeName != pod.Spec.NodeName))
        {
            _podQueue.Add(ObjectKeys.Of(pod));
        }
    }

    private async Task MonitorLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await MonitorNodeHealthAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(_options.NodeMonitorPeriod, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The monitor must outlive one bad pass: a node left unmonitored never turns Unknown.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var failure = Failure.Of(e);
                Log.MonitorPassFailed(_logger, failure.Level, failure.Trace, failure.Reason);
                await DelayAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DelayAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_options.NodeMonitorPeriod, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Upstream <c>processPod</c>: a pod bound to a Node that is not Ready is marked not ready at once.</summary>
    private async Task SyncPodAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var pod = _pods.Get(ns, name);
        if (pod?.Spec?.NodeName is not { Length: > 0 } nodeName
            || !_health.TryGetValue(nodeName, out var health)
            || health.Ready is null
            || health.Ready.Status == "True"
            || _nodes.Get(null, nodeName) is null)
        {
            return;
        }

        if (!await MarkPodsNotReadyAsync(nodeName, [pod], cancellationToken).ConfigureAwait(false))
        {
            _podQueue.AddRateLimited(key);
        }
    }

    /// <summary>
    /// Upstream <c>MarkPodsNotReady</c>: each pod's Ready condition becomes False (transition time now) through the
    /// status subresource, with a Warning <c>NodeNotReady</c> event. False when some write failed.
    /// </summary>
    private async Task<bool> MarkPodsNotReadyAsync(string nodeName, IEnumerable<V1Pod> pods, CancellationToken cancellationToken)
    {
        var ok = true;
        foreach (var pod in pods)
        {
            if (pod.Spec?.NodeName != nodeName || PodUtil.ReadyCondition(pod) is not { } ready || ready.Status == "False")
            {
                continue;
            }

            var updated = ObjectCopy.Clone(pod);
            var condition = PodUtil.ReadyCondition(updated)!;
            condition.Status = "False";
            condition.LastTransitionTime = Seconds(_time.GetUtcNow());
            try
            {
                await _client.UpdateStatusAsync(updated, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
                continue;
            }
            catch (ApiException e)
            {
                var failure = Failure.Of(e);
                Log.MarkPodFailed(_logger, failure.Level, failure.Trace, ObjectKeys.Of(pod), nodeName, failure.Reason);
                ok = false;
                continue;
            }

            Log.PodMarkedNotReady(_logger, ObjectKeys.Of(pod), nodeName);
            await _events.RecordAsync(updated, EventRecorder.Warning, "NodeNotReady", "Node is not ready", Component, cancellationToken).ConfigureAwait(false);
        }

        return ok;
    }

    /// <summary>metav1.Time has whole seconds.</summary>
    private static DateTime Seconds(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static V1NodeCondition? Condition(V1Node node, string type) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == type);
}
