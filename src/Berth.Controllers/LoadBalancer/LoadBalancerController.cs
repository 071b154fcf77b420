using Berth.Client;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.LoadBalancer;

/// <summary>
/// Gives <c>type: LoadBalancer</c> Services of no class or of class <see cref="ClassName"/> an address of
/// <see cref="ControllerOptions.LoadBalancerPool"/> and writes it to <c>status.loadBalancer.ingress</c>, like MetalLB's
/// controller: a requested address (<c>spec.loadBalancerIP</c> or the <see cref="RequestAnnotation"/> annotation) is
/// honoured when it is in the pool and free; otherwise, or when the pool is exhausted, the Service stays pending with a
/// Warning event. Addresses are released when the Service is deleted or stops being one of ours, and the allocation is
/// rebuilt from the Services' status at start.
/// </summary>
public sealed partial class LoadBalancerController : IController
{
    public const string ClassName = "berth.dev/loadbalancer";
    public const string RequestAnnotation = "metallb.universe.tf/loadBalancerIPs";
    public const string Component = "loadbalancer-controller";
    public const string AllocationFailedReason = "AllocationFailed";
    public const string AllocatedReason = "IPAllocated";

    private readonly IApiClient _client;
    private readonly ControllerOptions _options;
    private readonly ILogger _logger;
    private readonly Informer<V1Service> _services;
    private readonly WorkQueue<string> _queue;
    private readonly EventRecorder _events;
    private readonly LoadBalancerIPAllocator _allocator;

    /// <summary>Guards <see cref="_allocator"/> and <see cref="_pending"/>.</summary>
    private readonly Lock _gate = new();

    /// <summary>Services of ours without an address: retried whenever one is released.</summary>
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);

    public LoadBalancerController(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _client = manager.Client;
        _options = manager.Options;
        _logger = manager.Loggers.CreateLogger<LoadBalancerController>();
        _allocator = new LoadBalancerIPAllocator(manager.Options.LoadBalancerPool);
        _events = new EventRecorder(_client, manager.Options.TimeProvider, _logger);
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = manager.Options.TimeProvider });
        _services = manager.Informers.For<V1Service>();
        _services.AddHandler(new InformerHandler<V1Service>
        {
            Added = (s, _) => _queue.Add(ObjectKeys.Of(s)),
            Updated = (_, s) => _queue.Add(ObjectKeys.Of(s)),
            Deleted = s => _queue.Add(ObjectKeys.Of(s)),
        });
    }

    public string Name => "loadbalancer";

    public Task RunAsync(CancellationToken cancellationToken)
    {
        Rebuild();
        return WorkerLoop.RunAsync(_queue, _options.Workers, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken);
    }

    /// <summary>Whether this controller serves <paramref name="service"/>.</summary>
    public static bool IsOurs(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Spec?.Type == "LoadBalancer" && (string.IsNullOrEmpty(service.Spec.LoadBalancerClass) || service.Spec.LoadBalancerClass == ClassName);
    }

    /// <summary>The requested address: <c>spec.loadBalancerIP</c>, else the first of the MetalLB annotation.</summary>
    public static string? RequestedAddress(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (!string.IsNullOrWhiteSpace(service.Spec?.LoadBalancerIP))
        {
            return service.Spec.LoadBalancerIP.Trim();
        }

        if (service.Metadata?.Annotations is { } annotations && annotations.TryGetValue(RequestAnnotation, out var list))
        {
            var first = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return string.IsNullOrEmpty(first) ? null : first;
        }

        return null;
    }

    /// <summary>Takes back the addresses the Services' status shows (first come first served on a duplicate).</summary>
    private void Rebuild()
    {
        var restored = 0;
        lock (_gate)
        {
            foreach (var service in _services.Lister.List().OrderBy(s => s.Metadata.CreationTimestamp).ThenBy(ObjectKeys.Of, StringComparer.Ordinal))
            {
                var ip = service.Status?.LoadBalancer?.Ingress?.FirstOrDefault()?.Ip;
                if (IsOurs(service) && !string.IsNullOrEmpty(ip) && _allocator.Allocate(ObjectKeys.Of(service), ip).Outcome == AllocationOutcome.Allocated)
                {
                    restored++;
                }
            }
        }

        Log.Rebuilt(_logger, restored, _allocator.Pool);
    }

    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var service = _services.Lister.Get(ns, name);
        if (service is null || !IsOurs(service))
        {
            // Deleted, or no longer ours (the API server clears status.loadBalancer when the type changes).
            Release(key);
            return;
        }

        var requested = RequestedAddress(service);
        AllocationResult result;
        lock (_gate)
        {
            result = _allocator.Allocate(key, requested);
            if (result.Outcome == AllocationOutcome.Allocated)
            {
                _pending.Remove(key);
            }
            else
            {
                // Whatever it held no longer matches what it asks for.
                if (_allocator.Release(key))
                {
                    RequeuePendingLocked();
                }

                _pending.Add(key);
            }
        }

        if (result.Outcome == AllocationOutcome.Allocated)
        {
            if (await WriteStatusAsync(service, result.Address, cancellationToken).ConfigureAwait(false))
            {
                Log.Assigned(_logger, key, result.Address!);
                await _events.RecordAsync(service, EventRecorder.Normal, AllocatedReason, $"Assigned IP [\"{result.Address}\"]", Component, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var message = result.Outcome switch
        {
            AllocationOutcome.NotInPool => $"requested IP {result.Address} is not in pool {_allocator.Pool}",
            AllocationOutcome.InUse => $"requested IP {result.Address} is already assigned to Service {result.Holder}",
            _ => $"no available IPs in pool {_allocator.Pool}",
        };
        Log.Pending(_logger, key, message);
        await WriteStatusAsync(service, null, cancellationToken).ConfigureAwait(false);
        await _events.RecordAsync(service, EventRecorder.Warning, AllocationFailedReason, message, Component, cancellationToken).ConfigureAwait(false);
    }

    private void Release(string key)
    {
        lock (_gate)
        {
            _pending.Remove(key);
            if (_allocator.Release(key))
            {
                Log.Released(_logger, key);
                RequeuePendingLocked();
            }
        }
    }

    private void RequeuePendingLocked()
    {
        foreach (var pending in _pending)
        {
            _queue.Add(pending);
        }
    }

    /// <summary>Sets <c>status.loadBalancer.ingress</c> to the address (or clears it); true when something was written.</summary>
    private async Task<bool> WriteStatusAsync(V1Service service, string? address, CancellationToken cancellationToken)
    {
        var ingress = service.Status?.LoadBalancer?.Ingress ?? [];
        var current = address is null
            ? ingress.Count == 0
            : ingress.Count == 1 && ingress[0].Ip == address && ingress[0].IpMode == "VIP" && string.IsNullOrEmpty(ingress[0].Hostname);
        if (current)
        {
            return false;
        }

        var updated = ObjectCopy.Clone(service);
        updated.Status ??= new V1ServiceStatus();
        updated.Status.LoadBalancer = address is null ? new V1LoadBalancerStatus() : new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = address, IpMode = "VIP" }] };
        await _client.UpdateStatusAsync(updated, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Event ids 4340–4359 (see src/Berth.Controllers/README.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4340, Level = LogLevel.Information, Message = "Restored {Count} load-balancer addresses of pool {Pool}")]
        public static partial void Rebuilt(ILogger logger, int count, string pool);

        [LoggerMessage(EventId = 4341, Level = LogLevel.Information, Message = "Service {Service} assigned {Address}")]
        public static partial void Assigned(ILogger logger, string service, string address);

        [LoggerMessage(EventId = 4342, Level = LogLevel.Warning, Message = "Service {Service} stays pending: {Reason}")]
        public static partial void Pending(ILogger logger, string service, string reason);

        [LoggerMessage(EventId = 4343, Level = LogLevel.Information, Message = "Released the address of Service {Service}")]
        public static partial void Released(ILogger logger, string service);

        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4344, Message = "Sync of Service {Service} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string service, string reason);
    }
}
