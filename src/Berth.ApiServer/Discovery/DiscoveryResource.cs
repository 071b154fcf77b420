using Berth.Core.Resources;

namespace Berth.ApiServer.Discovery;

/// <summary>
/// One resource as discovery lists it: a registered kind (<see cref="From"/>), or a resource served beside the registry
/// as an aggregated API would be (metrics.k8s.io), which has no stored objects and no strategy.
/// </summary>
internal sealed record DiscoveryResource(
    string Group,
    string Version,
    string Kind,
    string Plural,
    bool Namespaced,
    IReadOnlyList<string> Verbs)
{
    public string Singular { get; init; } = Kind.ToLowerInvariant();

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public IReadOnlyList<string> Subresources { get; init; } = [];

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    public static DiscoveryResource From(ResourceInfo r) => new(r.Group, r.Version, r.Kind, r.Plural, r.Namespaced, r.Verbs)
    {
        Singular = r.Singular,
        ShortNames = r.ShortNames,
        Categories = r.Categories,
        Subresources = r.Subresources,
    };
}
