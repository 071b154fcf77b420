using System.Diagnostics.CodeAnalysis;

namespace Berth.Dns.Zone;

/// <summary>
/// The cluster zone at one moment: every name that exists (records, empty non-terminals, PTR names), keyed by
/// lower-case dotted text. Immutable once published; <see cref="ZoneIndex"/> swaps in a new one per change.
/// </summary>
internal sealed class ZoneSnapshot
{
    private readonly Dictionary<string, NameNode>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public ZoneSnapshot(ZoneConfig config, Dictionary<string, NameNode> names, long version)
    {
        Config = config;
        Names = names;
        Version = version;
        _lookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public ZoneConfig Config { get; }

    public IReadOnlyDictionary<string, NameNode> Names { get; }

    /// <summary>Counts the snapshots published; tests wait on it.</summary>
    public long Version { get; }

    public bool TryGetNode(ReadOnlySpan<char> name, [MaybeNullWhen(false)] out NameNode node) => _lookup.TryGetValue(name, out node);
}
