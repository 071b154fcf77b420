using System.Collections.Concurrent;
using System.Globalization;
using Berth.Client;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using Berth.Controllers.ReplicaSets;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.Scheduling;

/// <summary>
/// A minimal kube-scheduler (<c>default-scheduler</c>): unassigned pods with no or the default schedulerName are placed
/// by <see cref="SchedulingPlanner"/> one at a time and bound through <c>pods/{name}/binding</c>. A pod that fits no node
/// gets <c>PodScheduled=False</c> (reason Unschedulable) and a Warning <c>FailedScheduling</c> Event, and is retried when
/// a node changes. Bound pods are remembered ("assumed", as upstream's cache does) until the informer shows the
/// binding, so the next pod's spreading counts them. As upstream's binding cycle (schedule_one.go), the binding is
/// written apart from the scheduling: the pod is assumed at once and the next pod placed while the binding request is
/// in flight (at most <see cref="MaxBindsInFlight"/>); a failed binding forgets the assumption and retries the pod.
/// </summary>
public sealed partial class Scheduler : IController
{
    /// <summary>How long a binding may stay invisible in the informer before it is no longer counted.</summary>
    private static readonly TimeSpan _assumeTtl = TimeSpan.FromSeconds(30);

    /// <summary>Unschedulable pods are also retried this often (upstream flushes its unschedulable queue after 5 min).</summary>
    private static readonly TimeSpan _unschedulableRetry = TimeSpan.FromMinutes(1);

    /// <summary>Binding requests in flight at most; the scheduling worker waits for one to end beyond that.</summary>
    private const int MaxBindsInFlight = 16;

    private readonly IApiClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILister<V1Pod> _pods;
    private readonly ILister<V1Node> _nodes;
    private readonly WorkQueue<string> _queue;
    private readonly ConcurrentDictionary<string, (string Node, DateTimeOffset At)> _assumed = new(StringComparer.Ordinal);

    /// <summary>Bindings in flight; touched only by the one scheduling worker (and after it ended).</summary>
    private readonly List<Task> _binding = [];

    public Scheduler(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _client = manager.Client;
        _time = manager.Options.TimeProvider;
        _logger = manager.Loggers.CreateLogger<Scheduler>();
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _time });

        var pods = manager.Informers.For<V1Pod>();
        var nodes = manager.Informers.For<V1Node>();
        _pods = pods.Lister;
        _nodes = nodes.Lister;
        pods.AddHandler(new InformerHandler<V1Pod>
        {
            Added = (p, _) => OnPod(p),
            Updated = (_, p) => OnPod(p),
            Deleted = p => _assumed.TryRemove(ObjectKeys.Of(p), out _),
        });
        nodes.AddHandler(new InformerHandler<V1Node>
        {
            Added = (_, _) => EnqueueUnscheduled(),
            Updated = (old, node) =>
            {
                if (NodeChanged(old, node))
                {
                    EnqueueUnscheduled();
                }
            },
            Deleted = _ => EnqueueUnscheduled(),
        });
    }

    public string Name => "default-scheduler";

    /// <summary>One worker: pods are placed one at a time, so each sees the previous one's (assumed) binding.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await WorkerLoop.RunAsync(_queue, 1, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_binding).ConfigureAwait(false); // cancelled too: they end promptly
    }

    private void OnPod(V1Pod pod)
    {
        if (SchedulingPlanner.NeedsScheduling(pod))
        {
            _queue.Add(ObjectKeys.Of(pod));
        }
        else if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            _assumed.TryRemove(ObjectKeys.Of(pod), out _);
        }
    }

    private void EnqueueUnscheduled()
    {
        foreach (var pod in _pods.List())
        {
            if (SchedulingPlanner.NeedsScheduling(pod))
            {
                _queue.Add(ObjectKeys.Of(pod));
            }
        }
    }

    /// <summary>Only changes that can make a pod fit count (not heartbeats): readiness, unschedulable, taints, labels.</summary>
    private static bool NodeChanged(V1Node old, V1Node node) =>
        old.Spec?.Unschedulable != node.Spec?.Unschedulable
        || Taints(old) != Taints(node)
        || !ObjectCopy.MapsEqual(old.Metadata?.Labels, node.Metadata?.Labels)
        || ReadyStatus(old) != ReadyStatus(node);

    private static string Taints(V1Node node) =>
        string.Join(',', (node.Spec?.Taints ?? []).Select(t => t.Key + "=" + t.Value + ":" + t.Effect).Order(StringComparer.Ordinal));

    private static string? ReadyStatus(V1Node node) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status;

    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var pod = _pods.Get(ns, name);
        if (pod is null || !SchedulingPlanner.NeedsScheduling(pod) || _assumed.ContainsKey(key))
        {
            return;
        }

        var result = SchedulingPlanner.Schedule(pod, _nodes.List(), Placements());
        if (result.NodeName is { } node)
        {
            _assumed[key] = (node, _time.GetUtcNow());
            _binding.RemoveAll(t => t.IsCompleted);
            if (_binding.Count >= MaxBindsInFlight)
            {
                await Task.WhenAny(_binding).ConfigureAwait(false);
                _binding.RemoveAll(t => t.IsCompleted);
            }

            _binding.Add(BindAsync(key, node, cancellationToken));
            return;
        }

        await RecordUnschedulableAsync(pod, result.Message!, cancellationToken).ConfigureAwait(false);
        _queue.AddAfter(key, _unschedulableRetry);
    }

    /// <summary>Upstream's binding cycle for one assumed pod; never throws.</summary>
    private async Task BindAsync(string key, string node, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        try
        {
            await _client.BindAsync(ns!, name, node, cancellationToken).ConfigureAwait(false);
            Log.Bound(_logger, key, node);
        }
        catch (ApiException e) when (e.IsNotFound || e.IsConflict)
        {
            _assumed.TryRemove(key, out _); // deleted, or bound by someone else meanwhile
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A bind runs beside the worker: whatever it throws must requeue the pod, not vanish with the task.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _assumed.TryRemove(key, out _);
            var failure = Failure.Of(e);
            Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason);
            _queue.AddRateLimited(key);
        }
    }

    /// <summary>Active pods on nodes, with the bindings this scheduler made that the informer has not shown yet.</summary>
    private List<(V1Pod Pod, string Node)> Placements()
    {
        var now = _time.GetUtcNow();
        foreach (var (key, assumed) in _assumed)
        {
            if (now - assumed.At > _assumeTtl)
            {
                _assumed.TryRemove(key, out _);
            }
        }

        var placements = new List<(V1Pod, string)>();
        foreach (var pod in _pods.List())
        {
            if (!PodUtil.IsActive(pod))
            {
                continue;
            }

            if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
            {
                placements.Add((pod, pod.Spec.NodeName));
            }
            else if (_assumed.TryGetValue(ObjectKeys.Of(pod), out var assumed))
            {
                placements.Add((pod, assumed.Node));
            }
        }

        return placements;
    }

    /// <summary>
    /// Upstream <c>handleSchedulingFailure</c>: PodScheduled=False/Unschedulable with the fit error, and a Warning
    /// FailedScheduling Event — both only when the message is new, so retries of an unchanged failure write nothing.
    /// </summary>
    private async Task RecordUnschedulableAsync(V1Pod pod, string message, CancellationToken cancellationToken)
    {
        var current = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (current is { Status: "False", Reason: "Unschedulable" } && current.Message == message)
        {
            return;
        }

        Log.Unschedulable(_logger, ObjectKeys.Of(pod), message);
        var now = _time.GetUtcNow().UtcDateTime;
        var updated = ObjectCopy.Clone(pod);
        updated.Status ??= new V1PodStatus();
        updated.Status.Phase ??= "Pending";
        updated.Status.Conditions = [
            .. (updated.Status.Conditions ?? []).Where(c => c.Type != "PodScheduled"),
            new V1PodCondition
            {
                Type = "PodScheduled",
                Status = "False",
                Reason = "Unschedulable",
                Message = message,
                LastTransitionTime = current?.Status == "False" ? current.LastTransitionTime : now,
            },
        ];
        await _client.UpdateStatusAsync(updated, cancellationToken).ConfigureAwait(false);

        var ns = pod.Metadata.NamespaceProperty;
        await _client.CreateAsync(
            new Corev1Event
            {
                Metadata = new V1ObjectMeta
                {
                    Name = pod.Metadata.Name + "." + now.Ticks.ToString("x", CultureInfo.InvariantCulture),
                    NamespaceProperty = ns,
                },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = "v1",
                    Kind = "Pod",
                    Name = pod.Metadata.Name,
                    NamespaceProperty = ns,
                    Uid = pod.Metadata.Uid,
                    ResourceVersion = pod.Metadata.ResourceVersion,
                },
                Reason = "FailedScheduling",
                Message = message,
                Type = "Warning",
                Source = new V1EventSource { Component = SchedulingPlanner.DefaultSchedulerName },
                ReportingComponent = SchedulingPlanner.DefaultSchedulerName,
                FirstTimestamp = now,
                LastTimestamp = now,
                Count = 1,
            },
            cancellationToken).ConfigureAwait(false);
    }
}
