using System.Collections.Concurrent;

namespace Berth.Controllers.EndpointSlices;

/// <summary>
/// The time of the earliest change not yet synced, per queue key: written as
/// <c>endpoints.kubernetes.io/last-change-trigger-time</c> so consumers can measure programming latency
/// (docs/kubernetes-services.md §4.6). Simpler than upstream's <c>TriggerTimeTracker</c>, which derives the time
/// from pod and Service timestamps: Berth uses the time its handler saw the change.
/// </summary>
internal sealed class TriggerTimes
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pending = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public TriggerTimes(TimeProvider time) => _time = time;

    /// <summary>Called by handlers: keeps the earliest time.</summary>
    public void Record(string key) => _pending.TryAdd(key, _time.GetUtcNow());

    /// <summary>Called by a worker starting a sync: the pending time, now cleared.</summary>
    public DateTimeOffset? Take(string key) => _pending.TryRemove(key, out var time) ? time : null;

    /// <summary>Puts back a time whose sync did not happen (keeping an earlier one recorded meanwhile).</summary>
    public void Restore(string key, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            _pending.AddOrUpdate(key, value, (_, existing) => existing < value ? existing : value);
        }
    }
}
