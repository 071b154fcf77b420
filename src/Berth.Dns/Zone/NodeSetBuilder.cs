using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>Collects records by name and type (each record once), then makes the <see cref="NameNode"/>s of one zone.</summary>
internal sealed class NodeSetBuilder(string apex)
{
    private readonly Dictionary<string, Dictionary<RecordType, (List<ResourceRecord> Records, List<ResourceRecord> Additional)>> _names = new(StringComparer.Ordinal);

    public void Add(ResourceRecord record, IEnumerable<ResourceRecord>? additional = null)
    {
        var sets = Name(record.Name);
        if (!sets.TryGetValue(record.Type, out var set))
        {
            sets[record.Type] = set = ([], []);
        }

        if (!set.Records.Contains(record))
        {
            set.Records.Add(record);
        }

        foreach (var extra in additional ?? [])
        {
            if (!set.Additional.Contains(extra))
            {
                set.Additional.Add(extra);
            }
        }
    }

    /// <summary>Makes <paramref name="name"/> exist even without records (an empty non-terminal).</summary>
    public void AddName(string name) => Name(name);

    /// <summary>The records of one type at one name (empty when there are none), for use as additional data.</summary>
    public IReadOnlyList<ResourceRecord> Records(string name, RecordType type) =>
        _names.TryGetValue(name, out var sets) && sets.TryGetValue(type, out var set) ? set.Records : [];

    /// <summary>Replaces the records of one set (SRV weights are known only once every target is).</summary>
    public void Map(RecordType type, Func<IReadOnlyList<ResourceRecord>, IEnumerable<ResourceRecord>> map)
    {
        foreach (var sets in _names.Values)
        {
            if (sets.TryGetValue(type, out var set))
            {
                var mapped = map(set.Records).ToList();
                set.Records.Clear();
                set.Records.AddRange(mapped);
            }
        }
    }

    public List<NameNode> Build() =>
        [.. _names.Select(n => new NameNode(n.Key, apex, [.. n.Value.OrderBy(s => s.Key).Select(s => new RecordSet(s.Key, s.Value.Records, s.Value.Additional))]))];

    private Dictionary<RecordType, (List<ResourceRecord> Records, List<ResourceRecord> Additional)> Name(string name)
    {
        if (!_names.TryGetValue(name, out var sets))
        {
            _names[name] = sets = [];
        }

        return sets;
    }
}
