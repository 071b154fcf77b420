using System.Collections.Concurrent;
using System.Globalization;
using Berth.Client;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using Berth.Controllers.EndpointSlices;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.Endpoints;

/// <summary>
/// The (legacy) Endpoints controller (docs/kubernetes-services.md §4.3, upstream
/// <c>pkg/controller/endpoint/endpoints_controller.go</c>): Services + Pods → <c>v1/Endpoints</c> named after the
/// Service. Endpoints of selector-less and ExternalName Services are left alone (users manage them); a deleted
/// Service's Endpoints is deleted; existing Endpoints are checked once at start so orphans go.
/// </summary>
public sealed partial class EndpointsController : IController
{
    private readonly ControllerOptions _options;
    private readonly IApiClient _client;
    private readonly ILister<V1Service> _services;
    private readonly ILister<V1Pod> _pods;
    private readonly ILister<V1Endpoints> _endpoints;
    private readonly WorkQueue<string> _queue;
    private readonly TriggerTimes _triggerTimes;
    private readonly ILogger _logger;

    /// <summary>The resourceVersion of this controller's last write per key, to spot a cache older than it.</summary>
    private readonly ConcurrentDictionary<string, long> _written = new(StringComparer.Ordinal);

    public EndpointsController(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _options = manager.Options;
        _client = manager.Client;
        _logger = manager.Loggers.CreateLogger<EndpointsController>();
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _options.TimeProvider });
        _triggerTimes = new TriggerTimes(_options.TimeProvider);

        var services = manager.Informers.For<V1Service>();
        var pods = manager.Informers.For<V1Pod>();
        var endpoints = manager.Informers.For<V1Endpoints>();
        _services = services.Lister;
        _pods = pods.Lister;
        _endpoints = endpoints.Lister;

        PodServiceMemberships.EnqueueOnChanges(services, pods, Enqueue, EnqueueAll);
        endpoints.AddHandler(new InformerHandler<V1Endpoints>
        {
            // Upstream checkLeftoverEndpoints: every Endpoints present at start is synced once, so orphans go.
            Added = (e, initial) =>
            {
                if (initial)
                {
                    Enqueue(ObjectKeys.Of(e));
                }
            },
            Deleted = e =>
            {
                var key = ObjectKeys.Of(e);
                _written.TryRemove(key, out _);
                Enqueue(key); // recreated if its Service still wants it
            },
        });
    }

    public string Name => "endpoints";

    public Task RunAsync(CancellationToken cancellationToken) =>
        WorkerLoop.RunAsync(_queue, _options.Workers, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken);

    /// <summary>Syncs the Endpoints of one Service; false asks for a retry (the cache is older than the last write).</summary>
    private async Task<bool> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var triggerTime = _triggerTimes.Take(key);
        var service = _services.Get(ns, name);
        var existing = _endpoints.Get(ns, name);
        if (service is null)
        {
            // The cache may not hold an Endpoints written a moment ago: delete regardless, as upstream does.
            if (ObjectCopy.Get(existing?.Metadata.Annotations, WellKnown.LeaderElectionAnnotation) is null)
            {
                await DeleteAsync(ns, name, cancellationToken).ConfigureAwait(false);
            }

            _written.TryRemove(key, out _);
            return true;
        }

        if (service.Spec?.Type == "ExternalName" || service.Spec?.Selector is not { Count: > 0 })
        {
            return true;
        }

        if (_written.TryGetValue(key, out var written) && (existing is null || Revision(existing) < written))
        {
            Log.StaleCache(_logger, key);
            _triggerTimes.Restore(key, triggerTime);
            return false;
        }

        var selector = Berth.Core.Selectors.LabelSelector.FromMap(service.Spec.Selector);
        var pods = _pods.List(ns).Where(p => selector.Matches(p.Metadata?.Labels)).ToList();
        var desired = EndpointsPlanner.Desired(service, pods, existing, triggerTime);
        if (existing is not null && EndpointsPlanner.IsUnchanged(existing, desired))
        {
            return true;
        }

        V1Endpoints result;
        if (existing is null)
        {
            try
            {
                result = await _client.CreateAsync(desired, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (EndpointSliceWriter.IsNamespaceTerminating(e))
            {
                return true; // the namespace and everything in it are going away
            }
        }
        else
        {
            result = await _client.UpdateAsync(desired, cancellationToken).ConfigureAwait(false);
        }

        if (Revision(result) is { } revision)
        {
            _written[key] = revision;
        }

        return true;
    }

    private async Task DeleteAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteAsync<V1Endpoints>(ns, name, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.IsNotFound)
        {
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

    private static long? Revision(V1Endpoints endpoints) =>
        long.TryParse(endpoints.Metadata?.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : null;
}
