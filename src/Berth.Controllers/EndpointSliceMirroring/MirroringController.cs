using Berth.Client;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using Berth.Controllers.EndpointSlices;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.EndpointSliceMirroring;

/// <summary>
/// The EndpointSlice mirroring controller (docs/kubernetes-services.md §4.5, upstream
/// <c>pkg/controller/endpointslicemirroring</c>): a user-managed Endpoints of a selector-less Service → EndpointSlices
/// managed by <c>endpointslicemirroring-controller.k8s.io</c>, kept in step through create, update and delete.
/// Same shape as <see cref="EndpointSliceController"/>: handlers enqueue Service keys, workers plan with
/// <see cref="MirroringPlanner"/> and write through <see cref="EndpointSliceWriter"/> with their own tracker.
/// </summary>
public sealed partial class MirroringController : IController
{
    /// <summary>Slices managed by this controller, by <c>ns/&lt;service-name label&gt;</c>.</summary>
    private const string ServiceIndex = "endpointslicemirroring-controller/service";

    private readonly ControllerOptions _options;
    private readonly ILister<V1Service> _services;
    private readonly ILister<V1Endpoints> _endpoints;
    private readonly ILister<V1EndpointSlice> _slices;
    private readonly WorkQueue<string> _queue;
    private readonly EndpointSliceTracker _tracker = new();
    private readonly EndpointSliceWriter _writer;
    private readonly ILogger _logger;

    public MirroringController(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _options = manager.Options;
        _logger = manager.Loggers.CreateLogger<MirroringController>();
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _options.TimeProvider });
        _writer = new EndpointSliceWriter(manager.Client, _tracker);

        var services = manager.Informers.For<V1Service>();
        var endpoints = manager.Informers.For<V1Endpoints>();
        var slices = manager.Informers.For<V1EndpointSlice>();
        slices.AddIndexer(ServiceIndex, ServiceKeyOf);
        _services = services.Lister;
        _endpoints = endpoints.Lister;
        _slices = slices.Lister;

        services.AddHandler(Changes<V1Service>());
        endpoints.AddHandler(Changes<V1Endpoints>());
        slices.AddHandler(new InformerHandler<V1EndpointSlice>
        {
            Added = (s, _) => OnSliceChanged(s),
            Updated = (o, s) =>
            {
                if (ServiceKeyOf(o).FirstOrDefault() is { } oldKey && ServiceKeyOf(s).FirstOrDefault() != oldKey)
                {
                    _queue.Add(oldKey);
                }

                OnSliceChanged(s);
            },
            Deleted = s =>
            {
                foreach (var key in ServiceKeyOf(s))
                {
                    if (_tracker.HandleDeletion(key, s))
                    {
                        _queue.Add(key);
                    }
                }
            },
        });
    }

    public string Name => "endpointslicemirroring";

    public Task RunAsync(CancellationToken cancellationToken) =>
        WorkerLoop.RunAsync(_queue, _options.Workers, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken);

    /// <summary>Mirrors one Service's Endpoints; false asks for a retry (the slice cache is older than our writes).</summary>
    private async Task<bool> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var slices = _slices.ByIndex(ServiceIndex, key);
        if (_tracker.IsStale(key, slices))
        {
            Log.StaleCache(_logger, key);
            return false;
        }

        var plan = MirroringPlanner.Plan(_services.Get(ns, name), _endpoints.Get(ns, name), slices);
        await _writer.ApplyAsync(key, plan, cancellationToken).ConfigureAwait(false);
        if (slices.Count == 0 && plan.ToCreate.Count == 0)
        {
            _tracker.DeleteService(key);
        }

        return true;
    }

    /// <summary>Enqueues the Service key of any change to a Service or Endpoints (both are named after the Service).</summary>
    private InformerHandler<T> Changes<T>()
        where T : class, k8s.IKubernetesObject<V1ObjectMeta> => new()
        {
            Added = (o, _) => _queue.Add(ObjectKeys.Of(o)),
            Updated = (o, n) =>
            {
                if (o.Metadata.ResourceVersion != n.Metadata.ResourceVersion)
                {
                    _queue.Add(ObjectKeys.Of(n));
                }
            },
            Deleted = o => _queue.Add(ObjectKeys.Of(o)),
        };

    private void OnSliceChanged(V1EndpointSlice slice)
    {
        foreach (var key in ServiceKeyOf(slice))
        {
            if (_tracker.ShouldSync(key, slice))
            {
                _queue.Add(key);
            }
        }
    }

    /// <summary>The Service key of a slice this controller manages (none for other slices).</summary>
    private static IEnumerable<string> ServiceKeyOf(V1EndpointSlice slice) =>
        slice.Metadata?.Labels is { } labels
        && labels.TryGetValue(WellKnown.ManagedByLabel, out var managedBy) && managedBy == WellKnown.EndpointSliceMirroringControllerName
        && labels.TryGetValue(WellKnown.ServiceNameLabel, out var service) && !string.IsNullOrEmpty(service)
            ? [ObjectKeys.Of(slice.Metadata.NamespaceProperty, service)]
            : [];
}
