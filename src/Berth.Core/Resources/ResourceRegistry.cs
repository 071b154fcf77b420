using System.Collections.Frozen;

namespace Berth.Core.Resources;

/// <summary>
/// Every resource the API server serves, looked up by group + plural or by kind. <see cref="Default"/> is the list of
/// registrations (<c>ResourceRegistry.Kinds.cs</c>): one entry per kind names everything about it.
/// </summary>
public sealed partial class ResourceRegistry
{
    private readonly FrozenDictionary<(string Group, string Plural), ResourceInfo> _byResource;
    private readonly FrozenDictionary<(string Group, string Version, string Plural), ResourceInfo> _byVersion;
    private readonly FrozenDictionary<(string Group, string Kind), ResourceInfo> _byKind;

    /// <param name="resources">A kind served in several versions has one registration per version; the first is the preferred one.</param>
    public ResourceRegistry(IEnumerable<ResourceInfo> resources)
    {
        All = resources.ToList();
        _byVersion = All.ToFrozenDictionary(r => (r.Group, r.Version, r.Plural));
        _byResource = All.GroupBy(r => (r.Group, r.Plural)).ToFrozenDictionary(g => g.Key, g => g.First());
        _byKind = All.GroupBy(r => (r.Group, r.Kind)).ToFrozenDictionary(g => g.Key, g => g.First());
    }

    public IReadOnlyList<ResourceInfo> All { get; }

    public static ResourceRegistry Default { get; } = new(AllVersions());

    /// <summary>The preferred version of the resource.</summary>
    public ResourceInfo? Find(string group, string plural) => _byResource.GetValueOrDefault((group, plural));

    /// <summary>The resource in one version (what a URL names).</summary>
    public ResourceInfo? Find(string group, string version, string plural) => _byVersion.GetValueOrDefault((group, version, plural));

    /// <summary>The preferred version of the kind.</summary>
    public ResourceInfo? FindKind(string group, string kind) => _byKind.GetValueOrDefault((group, kind));
}
