using System.Net;
using Berth.Dns.Wire;
using k8s.Models;

namespace Berth.Dns.Zone;

/// <summary>
/// The cluster zone kept up to date from Services, EndpointSlices and Namespaces. Each change recomputes the names of
/// the one Service it touches (<see cref="ServiceRecords"/>) and publishes a new <see cref="ZoneSnapshot"/> before the
/// call returns — so once an informer has delivered an object, every query sees it. Changes delivered as part of an
/// informer's first list are gathered without publishing; <see cref="Publish"/> then makes them visible at once.
/// </summary>
/// <remarks>
/// Publishing copies the name table (a flat copy of references: ~0.1 ms for 10,000 Services) unless nothing has read
/// the current one yet; nodes of untouched Services are shared between snapshots and keep their rendered answers.
/// </remarks>
internal sealed class ZoneIndex
{
    /// <summary>The Service whose addresses answer for the zone's name server (<c>ns.dns.&lt;zone&gt;</c>).</summary>
    public const string DnsServiceKey = "kube-system/kube-dns";

    public const string ServiceNameLabel = "kubernetes.io/service-name";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, V1Service> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, V1EndpointSlice>> _slices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServiceEntry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _servicesPerNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, string[]>> _pointers = new(StringComparer.Ordinal);
    private Dictionary<string, NameNode> _names = new(StringComparer.Ordinal);
    private bool _namesShared;
    private ZoneSnapshot? _current;
    private long _version;

    public ZoneIndex(ZoneConfig config)
    {
        Config = config;
        SetStaticNames([]);
    }

    public ZoneConfig Config { get; }

    /// <summary>The zone as last published; null until the first <see cref="Publish"/> (queries get SERVFAIL, as CoreDNS before its cache syncs).</summary>
    public ZoneSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>Builds the zone of the given objects in one go (golden tests, benchmarks).</summary>
    public static ZoneSnapshot Build(ZoneConfig config, IEnumerable<V1Service> services, IEnumerable<V1EndpointSlice> slices, IEnumerable<string> namespaces)
    {
        var index = new ZoneIndex(config);
        foreach (var ns in namespaces)
        {
            index.AddNamespace(ns, publish: false);
        }

        foreach (var service in services)
        {
            index.SetService(service, publish: false);
        }

        foreach (var slice in slices)
        {
            index.SetSlice(slice, publish: false);
        }

        index.Publish();
        return index.Current!;
    }

    public void SetService(V1Service service, bool publish = true) => Change(publish, () =>
    {
        var key = Key(service.Metadata.NamespaceProperty, service.Metadata.Name);
        if (_services.TryAdd(key, service))
        {
            CountService(service.Metadata.NamespaceProperty, +1);
        }
        else
        {
            _services[key] = service;
        }

        Recompute(key);
    });

    public void RemoveService(V1Service service, bool publish = true) => Change(publish, () =>
    {
        var key = Key(service.Metadata.NamespaceProperty, service.Metadata.Name);
        if (_services.Remove(key))
        {
            CountService(service.Metadata.NamespaceProperty, -1);
        }

        Recompute(key);
    });

    public void SetSlice(V1EndpointSlice slice, bool publish = true) => Change(publish, () =>
    {
        if (SliceKey(slice) is not { } key)
        {
            return;
        }

        if (!_slices.TryGetValue(key, out var slices))
        {
            _slices[key] = slices = new(StringComparer.Ordinal);
        }

        slices[slice.Metadata.Name] = slice;
        Recompute(key);
    });

    public void RemoveSlice(V1EndpointSlice slice, bool publish = true) => Change(publish, () =>
    {
        if (SliceKey(slice) is not { } key || !_slices.TryGetValue(key, out var slices))
        {
            return;
        }

        slices.Remove(slice.Metadata.Name);
        if (slices.Count == 0)
        {
            _slices.Remove(key);
        }

        Recompute(key);
    });

    public void AddNamespace(string name, bool publish = true) => Change(publish, () =>
    {
        if (_namespaces.Add(name))
        {
            NamespaceNames(name);
        }
    });

    public void RemoveNamespace(string name, bool publish = true) => Change(publish, () =>
    {
        if (_namespaces.Remove(name))
        {
            NamespaceNames(name);
        }
    });

    /// <summary>Makes every change so far visible to queries.</summary>
    public void Publish()
    {
        lock (_gate)
        {
            PublishLocked();
        }
    }

    private static string Key(string ns, string name) => ns + "/" + name;

    private static string? SliceKey(V1EndpointSlice slice) =>
        slice.Metadata.Labels?.TryGetValue(ServiceNameLabel, out var service) == true && !string.IsNullOrEmpty(service)
            ? Key(slice.Metadata.NamespaceProperty, service)
            : null;

    private void Change(bool publish, Action change)
    {
        lock (_gate)
        {
            if (_namesShared)
            {
                _names = new Dictionary<string, NameNode>(_names, StringComparer.Ordinal);
                _namesShared = false;
            }

            change();
            if (publish)
            {
                PublishLocked();
            }
        }
    }

    private void PublishLocked()
    {
        _namesShared = true;
        Volatile.Write(ref _current, new ZoneSnapshot(Config, _names, ++_version));
    }

    private void Recompute(string key)
    {
        var entry = _services.TryGetValue(key, out var service)
            ? ServiceRecords.Build(Config, service, _slices.TryGetValue(key, out var slices) ? slices.Values : [])
            : ServiceEntry.Empty;
        var old = _entries.GetValueOrDefault(key, ServiceEntry.Empty);
        foreach (var node in old.Nodes)
        {
            _names.Remove(node.Name);
        }

        foreach (var node in entry.Nodes)
        {
            _names[node.Name] = node;
        }

        var touched = new HashSet<string>(old.Pointers.Select(p => p.Key).Concat(entry.Pointers.Select(p => p.Key)), StringComparer.Ordinal);
        foreach (var reverse in touched)
        {
            if (!_pointers.TryGetValue(reverse, out var targets))
            {
                _pointers[reverse] = targets = new(StringComparer.Ordinal);
            }

            var mine = entry.Pointers.Where(p => p.Key == reverse).Select(p => p.Value).ToArray();
            if (mine.Length > 0)
            {
                targets[key] = mine;
            }
            else
            {
                targets.Remove(key);
            }

            SetPointer(reverse, targets);
        }

        if (entry.Nodes.Count > 0)
        {
            _entries[key] = entry;
        }
        else
        {
            _entries.Remove(key);
        }

        if (key == DnsServiceKey)
        {
            var own = entry.Nodes.FirstOrDefault(n => n.Name == $"kube-dns.kube-system.{Config.ServiceSuffix}");
            SetStaticNames(own?.Sets.Where(s => s.Type is RecordType.A or RecordType.AAAA).SelectMany(s => s.Records).Select(r => ((AddressData)r.Data).Address) ?? []);
        }
    }

    private void SetPointer(string reverse, SortedDictionary<string, string[]> targets)
    {
        if (targets.Count == 0)
        {
            _pointers.Remove(reverse);
            _names.Remove(reverse);
            return;
        }

        var apex = reverse.EndsWith(ZoneConfig.ReverseV4, StringComparison.Ordinal) ? ZoneConfig.ReverseV4 : ZoneConfig.ReverseV6;
        var records = targets.Values.SelectMany(t => t).Distinct(StringComparer.Ordinal)
            .Select(t => new ResourceRecord(reverse, RecordType.PTR, Config.Ttl, new NameData(t))).ToList();
        _names[reverse] = new NameNode(reverse, apex, [new RecordSet(RecordType.PTR, records, [])]);
    }

    private void CountService(string ns, int delta)
    {
        var count = _servicesPerNamespace.GetValueOrDefault(ns) + delta;
        if (count > 0)
        {
            _servicesPerNamespace[ns] = count;
        }
        else
        {
            _servicesPerNamespace.Remove(ns);
        }

        NamespaceNames(ns);
    }

    /// <summary>
    /// <c>&lt;ns&gt;.svc</c> and <c>&lt;ns&gt;.pod</c> exist while the Namespace does, and <c>&lt;ns&gt;.svc</c> also while a
    /// Service in it does (informers deliver Namespaces and Services independently; a name with children always exists).
    /// </summary>
    private void NamespaceNames(string ns)
    {
        var known = _namespaces.Contains(ns);
        Toggle($"{ns}.{Config.ServiceSuffix}", known || _servicesPerNamespace.ContainsKey(ns));
        Toggle($"{ns}.{Config.PodSuffix}", known);
    }

    private void Toggle(string name, bool exists)
    {
        if (!exists)
        {
            _names.Remove(name);
        }
        else if (!_names.ContainsKey(name))
        {
            _names[name] = new NameNode(name, Config.Domain, []);
        }
    }

    /// <summary>The apex (SOA, NS), <c>dns-version</c> (TXT), <c>ns.dns</c> (the DNS Service's addresses) and the fixed empty non-terminals.</summary>
    private void SetStaticNames(IEnumerable<IPAddress> dnsAddresses)
    {
        var zone = Config.Domain;
        var names = new NodeSetBuilder(zone);
        foreach (var address in dnsAddresses)
        {
            names.Add(new ResourceRecord(Config.NameServer, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? RecordType.A : RecordType.AAAA, Config.Ttl, new AddressData(address)));
        }

        var glue = names.Records(Config.NameServer, RecordType.A).Concat(names.Records(Config.NameServer, RecordType.AAAA)).ToList();
        names.Add(Config.SoaRecord(zone));
        names.Add(new ResourceRecord(zone, RecordType.NS, Config.Ttl, new NameData(Config.NameServer)), glue);
        names.Add(new ResourceRecord("dns-version." + zone, RecordType.TXT, Config.Ttl, new TxtData(ZoneConfig.SchemaVersion)));
        names.AddName(Config.NameServer);
        names.AddName("dns." + zone);
        names.AddName(Config.ServiceSuffix);
        names.AddName(Config.PodSuffix);
        foreach (var node in names.Build())
        {
            _names[node.Name] = node;
        }
    }
}
