using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>
/// One name that exists in the zone: its record sets (none for an empty non-terminal, RFC 8020), or the CNAME every
/// type is answered with (an ExternalName Service). Immutable; it carries the rendered answers for its name, made on
/// the first query of each type, so a change to the zone drops exactly the answers of the nodes it replaces.
/// </summary>
internal sealed class NameNode
{
    private readonly RenderedAnswer?[] _rendered;

    public NameNode(string name, string apex, IReadOnlyList<RecordSet> sets, string? cname = null)
    {
        Name = name;
        Apex = apex;
        Sets = sets;
        Cname = cname;
        _rendered = new RenderedAnswer?[sets.Count + 2];
    }

    /// <summary>Lower-case dotted text without the trailing dot.</summary>
    public string Name { get; }

    /// <summary>The apex of the zone the name belongs to (its SOA goes into NODATA answers).</summary>
    public string Apex { get; }

    public IReadOnlyList<RecordSet> Sets { get; }

    /// <summary>The target of an ExternalName Service: every query of this name is answered with a CNAME to it.</summary>
    public string? Cname { get; }

    public RecordSet? Find(RecordType type)
    {
        foreach (var set in Sets)
        {
            if (set.Type == type)
            {
                return set;
            }
        }

        return null;
    }

    /// <summary>
    /// The rendered answer of <paramref name="type"/>, rendered by <paramref name="render"/> on first use. Two threads
    /// may both render the first time; both results are equal and either is kept.
    /// </summary>
    public RenderedAnswer Rendered(ushort type, Func<NameNode, RecordType, RenderedAnswer> render)
    {
        var slot = Slot(type);
        return Volatile.Read(ref _rendered[slot]) ?? (_rendered[slot] = render(this, (RecordType)type));
    }

    /// <summary>One slot per record set, one for ANY, one shared by every type the name lacks (NODATA).</summary>
    private int Slot(ushort type)
    {
        if (Cname is not null)
        {
            return type == (ushort)RecordType.ANY ? _rendered.Length - 2 : _rendered.Length - 1;
        }

        for (var i = 0; i < Sets.Count; i++)
        {
            if ((ushort)Sets[i].Type == type)
            {
                return i;
            }
        }

        return type == (ushort)RecordType.ANY ? _rendered.Length - 2 : _rendered.Length - 1;
    }
}
