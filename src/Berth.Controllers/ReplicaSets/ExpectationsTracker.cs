namespace Berth.Controllers.ReplicaSets;

/// <summary>
/// client-go's <c>UIDTrackingControllerExpectations</c> (<c>pkg/controller/controller_utils.go</c>): the creates and
/// deletes a controller has issued for a key and not yet seen in its informer. While any are outstanding the controller
/// must not create or delete again, or a cache that lags behind the API would make it act twice. Expectations expire
/// after <see cref="Ttl"/> so a lost watch event cannot wedge a key forever.
/// </summary>
internal sealed class ExpectationsTracker
{
    /// <summary>Upstream <c>ExpectationsTimeout</c>.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ExpectationsTracker(TimeProvider time) => _time = time;

    /// <summary>True when nothing is outstanding for <paramref name="key"/>, or the expectations have expired.</summary>
    public bool IsSatisfied(string key)
    {
        lock (_gate)
        {
            return !_entries.TryGetValue(key, out var entry)
                || (entry.Adds <= 0 && entry.Deletes.Count == 0)
                || _time.GetUtcNow() - entry.Since > Ttl;
        }
    }

    /// <summary>Records <paramref name="count"/> pod creates about to be issued (replacing older expectations).</summary>
    public void ExpectCreations(string key, int count)
    {
        lock (_gate)
        {
            _entries[key] = new Entry { Adds = count, Since = _time.GetUtcNow() };
        }
    }

    /// <summary>Records deletes about to be issued for the pods <paramref name="podKeys"/> (replacing older expectations).</summary>
    public void ExpectDeletions(string key, IEnumerable<string> podKeys)
    {
        lock (_gate)
        {
            _entries[key] = new Entry { Deletes = new HashSet<string>(podKeys, StringComparer.Ordinal), Since = _time.GetUtcNow() };
        }
    }

    /// <summary>
    /// An owner's pod seen by the informer (upstream <c>addPod</c>/<c>updatePod</c>): a new pod settles a create, a
    /// terminating one a delete.
    /// </summary>
    public void PodObserved(string key, k8s.Models.V1Pod pod, bool added)
    {
        if (added)
        {
            CreationObserved(key);
        }

        if (Common.PodUtil.IsTerminating(pod))
        {
            DeletionObserved(key, Client.ObjectKeys.Of(pod));
        }
    }

    /// <summary>A create was observed by the informer (or failed and will never be).</summary>
    public void CreationObserved(string key)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                entry.Adds--;
            }
        }
    }

    /// <summary>The pod <paramref name="podKey"/> was seen being deleted (or its delete failed); counted once per pod.</summary>
    public void DeletionObserved(string key, string podKey)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                entry.Deletes.Remove(podKey);
            }
        }
    }

    /// <summary>Forgets <paramref name="key"/> (its owner is gone).</summary>
    public void Delete(string key)
    {
        lock (_gate)
        {
            _entries.Remove(key);
        }
    }

    private sealed class Entry
    {
        public int Adds { get; set; }

        public HashSet<string> Deletes { get; init; } = new(StringComparer.Ordinal);

        public DateTimeOffset Since { get; init; }
    }
}
