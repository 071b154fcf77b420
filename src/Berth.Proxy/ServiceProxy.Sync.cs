using Berth.Proxy.Model;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy;

/// <summary>The sync: recorded changes → model of the changed Services → the backend applies the difference.</summary>
public sealed partial class ServiceProxy
{
    /// <summary>
    /// One sync (never concurrent with itself): the Services whose Service or slices changed — or all of them on a full
    /// resync — are modelled again; Service ports whose model differs go to the backend; health-check servers follow.
    /// </summary>
    private void Sync()
    {
        var started = _time.GetUtcNow();
        var clock = _time.GetTimestamp();
        var full = started - _lastFullSync >= _options.SyncPeriod;
        var changedServices = _services.TakeChanges();
        var (changedSlices, triggerTimes) = _slices.TakeChanges();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (full)
        {
            keys.UnionWith(_services.Keys());
            keys.UnionWith(_portsOfService.Keys);
        }
        else
        {
            keys.UnionWith(changedServices);
            keys.UnionWith(changedSlices);
        }

        var model = _model.ToBuilder();
        var changes = new List<ServicePortChange>();
        foreach (var key in keys)
        {
            var service = _services.Get(key);
            var ports = service is null ? [] : ServiceModelPlanner.Plan(service, _slices.SlicesOf(key), _options.NodeName, zone: null);
            var before = changes.Count;
            foreach (var old in _portsOfService.GetValueOrDefault(key) ?? [])
            {
                if (!ports.Any(p => p.Name == old) && model.Remove(old, out var removed))
                {
                    changes.Add(new ServicePortChange(old, removed, null));
                }
            }

            foreach (var port in ports)
            {
                var previous = model.GetValueOrDefault(port.Name);
                if (!port.Equals(previous))
                {
                    model[port.Name] = port;
                    changes.Add(new ServicePortChange(port.Name, previous, port));
                }
            }

            if (ports.Count == 0)
            {
                _portsOfService.Remove(key);
            }
            else
            {
                _portsOfService[key] = [.. ports.Select(p => p.Name)];
            }

            if (full || changes.Count > before)
            {
                UpdateHealthCheck(service, ports, changes, before, full);
            }
        }

        Volatile.Write(ref _model, model.ToImmutable());
        _backend.Apply(changes, full);
        if (full)
        {
            _lastFullSync = started;
        }

        // The next full resync is due one sync period after this one, whatever runs in between.
        _runner.RetryAfter(_lastFullSync + _options.SyncPeriod - _time.GetUtcNow());
        _health.Updated(started);
        var elapsed = _time.GetElapsedTime(clock);
        _metrics.SyncDuration.Observe(elapsed.TotalSeconds);
        var now = _time.GetUtcNow();
        foreach (var trigger in triggerTimes)
        {
            _metrics.NetworkProgramming.Observe(Math.Max(0, (now - trigger).TotalSeconds));
        }

        Log.Synced(_logger, full, keys.Count, changes.Count, elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// A Service's health-check node port and its local ready endpoints: distinct addresses over its ports, terminating
    /// ones excluded so a draining node fails the check (upstream <c>LocalReadyEndpoints</c>).
    /// </summary>
    private void UpdateHealthCheck(ServiceInfo? service, IReadOnlyList<ServicePortModel> ports, List<ServicePortChange> changes, int firstChange, bool full)
    {
        var reference = service?.Service ?? changes.Skip(firstChange).Select(c => c.Previous?.Info.Service).FirstOrDefault(s => s is not null);
        if (reference is null)
        {
            return;
        }

        var port = ports.Select(p => p.Info.HealthCheckNodePort).FirstOrDefault(p => p != 0);
        var local = ports.SelectMany(p => p.Endpoints).Where(e => e.IsLocal && e.Ready).Select(e => e.Address).Distinct().Count();
        _healthChecks.Update(reference, port, local, retry: full);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Service proxy for node {Node} started: {Ports} Service ports, {Listeners} listeners open, {Failed} could not be opened")]
        public static partial void Started(ILogger logger, string node, int ports, int listeners, int failed);

        [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Synced (full: {Full}): {Services} Services looked at, {Changes} Service ports changed, in {Milliseconds} ms")]
        public static partial void Synced(ILogger logger, bool full, int services, int changes, double milliseconds);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Open files limit: {Limit}")]
        public static partial void FileLimit(ILogger logger, ulong limit);
    }
}
