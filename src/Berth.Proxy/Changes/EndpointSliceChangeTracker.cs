using Berth.Proxy.Model;
using k8s.Models;

namespace Berth.Proxy.Changes;

/// <summary>
/// Records EndpointSlice changes per Service for the next sync (kube-proxy's <c>EndpointsChangeTracker</c> and
/// <c>EndpointSliceCache</c>): a slice is parsed once, and its Service is marked dirty only when the parsed slice
/// differs from the one held. Keeps the <c>last-change-trigger-time</c> of each recorded change (when later than the
/// tracker's start, as upstream) for the network programming latency. Thread-safe.
/// </summary>
internal sealed class EndpointSliceChangeTracker
{
    private readonly Lock _gate = new();
    private readonly DateTimeOffset _started;
    private readonly Dictionary<string, SortedList<string, SliceInfo>> _byService = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _serviceOfSlice = new(StringComparer.Ordinal);
    private HashSet<string> _dirty = new(StringComparer.Ordinal);
    private List<DateTimeOffset> _triggerTimes = [];

    public EndpointSliceChangeTracker(DateTimeOffset started) => _started = started;

    /// <summary>Records an added or updated slice; false when nothing the proxy uses changed.</summary>
    public bool Update(V1EndpointSlice slice)
    {
        var serviceKey = SliceParser.ServiceKey(slice);
        var info = SliceParser.Parse(slice);
        var sliceKey = SliceKey(slice);
        lock (_gate)
        {
            var changed = false;
            if (_serviceOfSlice.TryGetValue(sliceKey, out var previousService) && previousService != serviceKey)
            {
                changed = RemoveLocked(sliceKey, previousService, info.Name);
            }

            if (serviceKey is null)
            {
                return changed;
            }

            if (!_byService.TryGetValue(serviceKey, out var slices))
            {
                _byService[serviceKey] = slices = new SortedList<string, SliceInfo>(StringComparer.Ordinal);
            }

            if (slices.TryGetValue(info.Name, out var old) && old.Equals(info))
            {
                return changed;
            }

            slices[info.Name] = info;
            _serviceOfSlice[sliceKey] = serviceKey;
            _dirty.Add(serviceKey);
            if (SliceParser.TriggerTime(slice) is { } trigger && trigger > _started)
            {
                _triggerTimes.Add(trigger);
            }

            return true;
        }
    }

    /// <summary>Records a deleted slice; false when it was not known.</summary>
    public bool Delete(V1EndpointSlice slice)
    {
        var sliceKey = SliceKey(slice);
        lock (_gate)
        {
            return _serviceOfSlice.TryGetValue(sliceKey, out var serviceKey) && RemoveLocked(sliceKey, serviceKey, slice.Metadata.Name);
        }
    }

    /// <summary>The Services whose slices changed since the last call, and the trigger times of those changes.</summary>
    public (IReadOnlyCollection<string> Services, IReadOnlyList<DateTimeOffset> TriggerTimes) TakeChanges()
    {
        lock (_gate)
        {
            var dirty = _dirty;
            var triggers = _triggerTimes;
            _dirty = new HashSet<string>(StringComparer.Ordinal);
            _triggerTimes = [];
            return (dirty, triggers);
        }
    }

    /// <summary>The slices of a Service now, ordered by name.</summary>
    public IReadOnlyList<SliceInfo> SlicesOf(string serviceKey)
    {
        lock (_gate)
        {
            return _byService.TryGetValue(serviceKey, out var slices) ? [.. slices.Values] : [];
        }
    }

    /// <summary>Every Service that has slices now.</summary>
    public IReadOnlyCollection<string> ServiceKeys()
    {
        lock (_gate)
        {
            return [.. _byService.Keys];
        }
    }

    private bool RemoveLocked(string sliceKey, string serviceKey, string name)
    {
        _serviceOfSlice.Remove(sliceKey);
        if (!_byService.TryGetValue(serviceKey, out var slices) || !slices.Remove(name))
        {
            return false;
        }

        if (slices.Count == 0)
        {
            _byService.Remove(serviceKey);
        }

        _dirty.Add(serviceKey);
        return true;
    }

    private static string SliceKey(V1EndpointSlice slice) => (slice.Metadata.NamespaceProperty ?? "default") + "/" + slice.Metadata.Name;
}
