using Berth.Client;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.EndpointSlices;

/// <summary>
/// The EndpointSlice controller (docs/kubernetes-services.md §4.4, upstream
/// <c>pkg/controller/endpointslice/endpointslice_controller.go</c>): Services + Pods + Nodes → EndpointSlices managed
/// by <c>endpointslice-controller.k8s.io</c>. Handlers enqueue Service keys; workers read the caches, call
/// <see cref="EndpointSlicePlanner"/>, write through <see cref="EndpointSliceWriter"/>, and — when the
/// <see cref="EndpointSliceTracker"/> says the slice cache is older than their own writes — park the Service until the
/// echo of those writes arrives.
/// </summary>
public sealed partial class EndpointSliceController : IController
{
    /// <summary>Slices managed by this controller, by <c>ns/&lt;service-name label&gt;</c>.</summary>
    private const string ServiceIndex = "endpointslice-controller/service";

    private readonly ControllerOptions _options;
    private readonly ILister<V1Service> _services;
    private readonly ILister<V1Pod> _pods;
    private readonly ILister<V1Node> _nodes;
    private readonly ILister<V1EndpointSlice> _slices;
    private readonly WorkQueue<string> _queue;
    private readonly EndpointSliceTracker _tracker = new();
    private readonly EndpointSliceWriter _writer;
    private readonly TriggerTimes _triggerTimes;
    private readonly ILogger _logger;
    private long _syncs;

    public EndpointSliceController(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _options = manager.Options;
        _logger = manager.Loggers.CreateLogger<EndpointSliceController>();
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _options.TimeProvider });
        _writer = new EndpointSliceWriter(manager.Client, _tracker);
        _triggerTimes = new TriggerTimes(_options.TimeProvider);

        var services = manager.Informers.For<V1Service>();
        var pods = manager.Informers.For<V1Pod>();
        var nodes = manager.Informers.For<V1Node>();
        var slices = manager.Informers.For<V1EndpointSlice>();
        slices.AddIndexer(ServiceIndex, ServiceKeyOf);
        _services = services.Lister;
        _pods = pods.Lister;
        _nodes = nodes.Lister;
        _slices = slices.Lister;

        PodServiceMemberships.EnqueueOnChanges(services, pods, Enqueue, EnqueueAll);
        nodes.AddHandler(new InformerHandler<V1Node>
        {
            // Pods on an unknown node are skipped until it appears; a zone change changes endpoints.
            Added = (_, initial) =>
            {
                if (!initial)
                {
                    EnqueueAllServices();
                }
            },
            Updated = (o, n) =>
            {
                if (ObjectCopy.Get(o.Metadata.Labels, WellKnown.ZoneLabel) != ObjectCopy.Get(n.Metadata.Labels, WellKnown.ZoneLabel))
                {
                    EnqueueAllServices();
                }
            },
            Deleted = _ => EnqueueAllServices(),
        });
        slices.AddHandler(new InformerHandler<V1EndpointSlice>
        {
            Added = (s, _) => OnSliceChanged(s),
            Updated = (o, s) =>
            {
                if (ServiceKeyOf(o).FirstOrDefault() is { } oldKey && ServiceKeyOf(s).FirstOrDefault() != oldKey)
                {
                    Enqueue(oldKey); // relabelled away from its Service
                }

                OnSliceChanged(s);
            },
            Deleted = s =>
            {
                foreach (var key in ServiceKeyOf(s))
                {
                    if (_tracker.HandleDeletion(key, s))
                    {
                        Enqueue(key);
                    }
                }
            },
        });
    }

    public string Name => "endpointslice";

    /// <summary>Services synced since start (a figure for benchmarks and diagnostics).</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Nothing queued and nothing being synced: every change seen so far is written (or waits for a retry).</summary>
    public bool IsIdle => _queue.IsIdle;

    public Task RunAsync(CancellationToken cancellationToken) =>
        WorkerLoop.RunAsync(_queue, _options.Workers, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken);

    /// <summary>Syncs one Service; false asks for a rate-limited retry (stale cache, pods on unknown nodes).</summary>
    private async Task<bool> SyncAsync(string key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _syncs);
        var (ns, name) = ObjectKeys.Split(key);
        var triggerTime = _triggerTimes.Take(key);
        var service = _services.Get(ns, name);
        var slices = _slices.ByIndex(ServiceIndex, key);

        // Upstream leaves this to the garbage collector (owner references); Berth deletes them itself so a missing
        // or lagging collector never leaves a deleted Service's endpoints behind. Selector-less and ExternalName
        // Services own no managed slices either.
        if (service is null || service.Spec?.Type == "ExternalName" || service.Spec?.Selector is not { Count: > 0 })
        {
            await _writer.DeleteAsync(key, slices, cancellationToken).ConfigureAwait(false);
            if (slices.Count == 0)
            {
                _tracker.DeleteService(key);
            }

            return true;
        }

        if (_tracker.IsStale(key, slices))
        {
            Log.StaleCache(_logger, key);
            _triggerTimes.Restore(key, triggerTime);
            _tracker.WaitForCache(key);

            // The awaited echo may have reached the cache since `slices` was read, finding nothing parked: look again.
            if (!_tracker.IsStale(key, _slices.ByIndex(ServiceIndex, key)))
            {
                _queue.Add(key);
            }

            return true;
        }

        var selector = Berth.Core.Selectors.LabelSelector.FromMap(service.Spec.Selector);
        var plan = EndpointSlicePlanner.Plan(new EndpointSlicePlanInput
        {
            Service = service,
            Pods = [.. _pods.List(ns).Where(p => selector.Matches(p.Metadata?.Labels))],
            NodeZones = _nodes.List().ToDictionary(n => n.Metadata.Name, n => ObjectCopy.Get(n.Metadata.Labels, WellKnown.ZoneLabel), StringComparer.Ordinal),
            ExistingSlices = slices,
            MaxEndpointsPerSlice = _options.MaxEndpointsPerSlice,
            TriggerTime = triggerTime,
        });
        await _writer.ApplyAsync(key, plan, cancellationToken).ConfigureAwait(false);
        if (plan.SkippedPods.Count > 0)
        {
            Log.PodsSkipped(_logger, key, plan.SkippedPods.Count);
            return false;
        }

        return true;
    }

    private void OnSliceChanged(V1EndpointSlice slice)
    {
        foreach (var key in ServiceKeyOf(slice))
        {
            if (_tracker.ShouldSync(key, slice))
            {
                Enqueue(key);
            }
        }
    }

    private void Enqueue(string key)
    {
        _triggerTimes.Record(key);
        _queue.Add(key);
    }

    private void EnqueueAll(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            Enqueue(key);
        }
    }

    private void EnqueueAllServices()
    {
        foreach (var service in _services.List())
        {
            if (service.Spec?.Selector is { Count: > 0 })
            {
                Enqueue(ObjectKeys.Of(service));
            }
        }
    }

    /// <summary>The Service key of a slice this controller manages (none for other slices).</summary>
    private static IEnumerable<string> ServiceKeyOf(V1EndpointSlice slice) =>
        slice.Metadata?.Labels is { } labels
        && labels.TryGetValue(WellKnown.ManagedByLabel, out var managedBy) && managedBy == WellKnown.EndpointSliceControllerName
        && labels.TryGetValue(WellKnown.ServiceNameLabel, out var service) && !string.IsNullOrEmpty(service)
            ? [ObjectKeys.Of(slice.Metadata.NamespaceProperty, service)]
            : [];
}
