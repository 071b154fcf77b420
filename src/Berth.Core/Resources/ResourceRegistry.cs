using System.Collections.Frozen;

namespace Berth.Core.Resources;

/// <summary>
/// Every resource the API server serves, looked up by group + plural or by kind. <see cref="Default"/> is the list of
/// registrations (<c>ResourceRegistry.Kinds.cs</c>): one entry per kind names everything about it.
/// </summary>
public sealed partial class ResourceRegistry
{
    private readonly FrozenDictionary<(string Group, string Plural), ResourceInfo> _byResource;
    private readonly FrozenDictionary<(string Group, string Kind), ResourceInfo> _byKind;

    public ResourceRegistry(IEnumerable<ResourceInfo> resources)
    {
        All = resources.ToList();
        _byResource = All.ToFrozenDictionary(r => (r.Group, r.Plural));
        _byKind = All.ToFrozenDictionary(r => (r.Group, r.Kind));
    }

    public IReadOnlyList<ResourceInfo> All { get; }

    public static ResourceRegistry Default { get; } = new(Kinds());

    public ResourceInfo? Find(string group, string plural) => _byResource.GetValueOrDefault((group, plural));

    public ResourceInfo? FindKind(string group, string kind) => _byKind.GetValueOrDefault((group, kind));
}
