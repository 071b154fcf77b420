using Berth.Proxy.Model;
using k8s.Models;

namespace Berth.Proxy.Changes;

/// <summary>
/// Records Service changes for the next sync (kube-proxy's <c>ServiceChangeTracker</c>): informer handlers call
/// <see cref="Update"/> and <see cref="Delete"/>, which parse the Service and mark its key dirty only when what the
/// proxy uses changed — a resync or a status-only update records nothing. The sync takes the dirty keys and reads the
/// current state. Thread-safe.
/// </summary>
internal sealed class ServiceChangeTracker
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ServiceInfo> _current = new(StringComparer.Ordinal);
    private HashSet<string> _dirty = new(StringComparer.Ordinal);

    /// <summary>Records an added or updated Service; false when nothing the proxy uses changed.</summary>
    public bool Update(V1Service service)
    {
        var info = ServiceParser.Parse(service);
        var key = info.Service.Key;
        lock (_gate)
        {
            if (_current.TryGetValue(key, out var old) && old.Equals(info))
            {
                return false;
            }

            _current[key] = info;
            _dirty.Add(key);
            return true;
        }
    }

    /// <summary>Records a deleted Service; false when it was not known.</summary>
    public bool Delete(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var key = (service.Metadata.NamespaceProperty ?? "default") + "/" + service.Metadata.Name;
        lock (_gate)
        {
            if (!_current.Remove(key))
            {
                return false;
            }

            _dirty.Add(key);
            return true;
        }
    }

    /// <summary>The keys changed since the last call.</summary>
    public IReadOnlyCollection<string> TakeChanges()
    {
        lock (_gate)
        {
            var dirty = _dirty;
            _dirty = new HashSet<string>(StringComparer.Ordinal);
            return dirty;
        }
    }

    /// <summary>The Service's current state, or null when it does not exist.</summary>
    public ServiceInfo? Get(string key)
    {
        lock (_gate)
        {
            return _current.GetValueOrDefault(key);
        }
    }

    /// <summary>Every Service known now.</summary>
    public IReadOnlyCollection<string> Keys()
    {
        lock (_gate)
        {
            return [.. _current.Keys];
        }
    }
}
