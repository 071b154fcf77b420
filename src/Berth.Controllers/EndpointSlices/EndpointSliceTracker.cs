using System.Globalization;
using k8s.Models;

namespace Berth.Controllers.EndpointSlices;

/// <summary>
/// Remembers the slices a controller wrote, per Service key (<c>ns/name</c>), so it can tell that its informer cache
/// has not caught up with its own writes (upstream <c>k8s.io/endpointslice/endpointslice_tracker.go</c>). Upstream
/// tracks generations; Berth's resourceVersions are store revisions (monotonic integers), which also cover label-only
/// writes that leave the generation alone. Thread-safe: handlers and workers share one instance.
/// </summary>
internal sealed class EndpointSliceTracker
{
    /// <summary>Marks a slice this controller deleted; the cache is stale while it still holds it.</summary>
    private const long DeletionExpected = -1;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, long>> _byService = new(StringComparer.Ordinal);

    /// <summary>Services whose last sync stopped at a stale cache and wait for the echo of their own writes.</summary>
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);

    /// <summary>Records a slice as the API returned it after a create or update.</summary>
    public void Written(string serviceKey, V1EndpointSlice slice)
    {
        if (Revision(slice) is not { } revision)
        {
            return;
        }

        lock (_gate)
        {
            SlicesOf(serviceKey)[slice.Metadata.Name] = revision;
        }
    }

    /// <summary>Records that this controller is deleting the slice.</summary>
    public void ExpectDeletion(string serviceKey, V1EndpointSlice slice)
    {
        lock (_gate)
        {
            SlicesOf(serviceKey)[slice.Metadata.Name] = DeletionExpected;
        }
    }

    /// <summary>
    /// For an informer add/update: false when the event is the echo of this controller's own write (the cache now
    /// holds what it wrote), so the Service need not be synced again (upstream <c>ShouldSync</c>).
    /// </summary>
    /// <remarks>An echo does sync a Service that <see cref="WaitForCache"/> parked: the cache it waited for may be here.</remarks>
    public bool ShouldSync(string serviceKey, V1EndpointSlice slice)
    {
        lock (_gate)
        {
            var echo = _byService.TryGetValue(serviceKey, out var slices)
                && slices.TryGetValue(slice.Metadata.Name, out var revision)
                && revision == Revision(slice);
            return !echo || _waiting.Remove(serviceKey);
        }
    }

    /// <summary>
    /// Parks a Service whose sync found the cache stale: the next echo of its own writes (<see cref="ShouldSync"/>,
    /// <see cref="HandleDeletion"/>) asks for a sync. Upstream retries with rate-limited backoff instead (1 s base in
    /// the EndpointSlice controller); waking on the echo syncs as soon as the cache has caught up, and no sooner.
    /// </summary>
    public void WaitForCache(string serviceKey)
    {
        lock (_gate)
        {
            _waiting.Add(serviceKey);
        }
    }

    /// <summary>
    /// For an informer delete: forgets the slice and returns true unless this controller deleted it itself
    /// (upstream <c>HandleDeletion</c>): a slice deleted by someone else must be recreated.
    /// </summary>
    public bool HandleDeletion(string serviceKey, V1EndpointSlice slice)
    {
        lock (_gate)
        {
            if (!_byService.TryGetValue(serviceKey, out var slices) || !slices.Remove(slice.Metadata.Name, out var revision))
            {
                return true;
            }

            if (slices.Count == 0)
            {
                _byService.Remove(serviceKey);
            }

            return revision != DeletionExpected || _waiting.Remove(serviceKey);
        }
    }

    /// <summary>
    /// True when <paramref name="cached"/> (the informer's slices for the Service) is older than this controller's
    /// own writes: a slice it wrote is missing or at an older revision, or a slice it deleted is still there
    /// (upstream <c>StaleSlices</c>). Acting on such a cache would undo or duplicate those writes.
    /// </summary>
    public bool IsStale(string serviceKey, IReadOnlyList<V1EndpointSlice> cached)
    {
        lock (_gate)
        {
            if (!_byService.TryGetValue(serviceKey, out var tracked))
            {
                return false;
            }

            var present = new Dictionary<string, long?>(StringComparer.Ordinal);
            foreach (var slice in cached)
            {
                present[slice.Metadata.Name] = Revision(slice);
            }

            foreach (var (name, revision) in tracked)
            {
                var inCache = present.TryGetValue(name, out var cachedRevision);
                if (revision == DeletionExpected ? inCache : !inCache || cachedRevision < revision)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Forgets a Service whose slices are all gone.</summary>
    public void DeleteService(string serviceKey)
    {
        lock (_gate)
        {
            _byService.Remove(serviceKey);
            _waiting.Remove(serviceKey);
        }
    }

    private Dictionary<string, long> SlicesOf(string serviceKey)
    {
        if (!_byService.TryGetValue(serviceKey, out var slices))
        {
            _byService[serviceKey] = slices = new(StringComparer.Ordinal);
        }

        return slices;
    }

    private static long? Revision(V1EndpointSlice slice) =>
        long.TryParse(slice.Metadata?.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : null;
}
