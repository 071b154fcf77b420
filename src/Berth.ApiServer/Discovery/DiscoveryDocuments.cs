using System.Text.Json.Nodes;
using Berth.Core.Resources;

namespace Berth.ApiServer.Discovery;

/// <summary>
/// The discovery documents kubectl reads: aggregated (<c>apidiscovery.k8s.io/v2</c>) on <c>/api</c> and
/// <c>/apis</c>, and the legacy <c>APIVersions</c> / <c>APIGroupList</c> / <c>APIResourceList</c> forms.
/// Built once; the registry does not change while the server runs.
/// </summary>
internal sealed class DiscoveryDocuments
{
    /// <param name="aggregated">Resources served beside the registry (an aggregated API's, such as metrics.k8s.io), listed after it.</param>
    public DiscoveryDocuments(ResourceRegistry registry, string serverAddress, IEnumerable<DiscoveryResource>? aggregated = null)
    {
        var resources = registry.All.Select(DiscoveryResource.From).Concat(aggregated ?? []).ToList();
        // A group's versions in the order of their first registration: the first is the preferred one.
        var groups = resources.GroupBy(r => r.Group).ToList();
        AggregatedCore = Aggregated(groups.Where(g => g.Key.Length == 0));
        AggregatedGroups = Aggregated(groups.Where(g => g.Key.Length > 0));
        LegacyCore = new JsonObject
        {
            ["kind"] = "APIVersions",
            ["versions"] = new JsonArray("v1"),
            ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
        }.ToJsonString();
        LegacyGroups = new JsonObject
        {
            ["kind"] = "APIGroupList",
            ["apiVersion"] = "v1",
            ["groups"] = new JsonArray(groups.Where(g => g.Key.Length > 0).Select(g => (JsonNode)GroupJson(g.Key, Versions(g))).ToArray()),
        }.ToJsonString();
        Groups = groups.Where(g => g.Key.Length > 0).ToDictionary(g => g.Key, g => GroupJson(g.Key, Versions(g)).ToJsonString());
        ResourceLists = resources.GroupBy(r => r.ApiVersion).ToDictionary(g => g.Key, g => ResourceList(g.Key, g).ToJsonString());
    }

    public string AggregatedCore { get; }

    public string AggregatedGroups { get; }

    public string LegacyCore { get; }

    public string LegacyGroups { get; }

    /// <summary><c>/apis/{group}</c> documents by group name.</summary>
    public IReadOnlyDictionary<string, string> Groups { get; }

    /// <summary><c>/api/v1</c> and <c>/apis/{group}/{version}</c> documents by group version.</summary>
    public IReadOnlyDictionary<string, string> ResourceLists { get; }

    private static List<string> Versions(IEnumerable<DiscoveryResource> group) => [.. group.Select(r => r.Version).Distinct()];

    private static JsonObject GroupJson(string group, IReadOnlyList<string> versions)
    {
        JsonObject Gv(string version) => new() { ["groupVersion"] = group + "/" + version, ["version"] = version };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Gv(v)).ToArray()),
            ["preferredVersion"] = Gv(versions[0]),
        };
    }

    private static string Aggregated(IEnumerable<IGrouping<string, DiscoveryResource>> groups)
    {
        var items = new JsonArray();
        foreach (var group in groups)
        {
            var versions = new JsonArray();
            foreach (var version in Versions(group))
            {
                versions.Add(new JsonObject { ["version"] = version, ["resources"] = AggregatedResources(group.Where(r => r.Version == version)), ["freshness"] = "Current" });
            }

            items.Add(new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = group.Key, ["creationTimestamp"] = null },
                ["versions"] = versions,
            });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        }.ToJsonString();
    }

    private static JsonArray AggregatedResources(IEnumerable<DiscoveryResource> version)
    {
        var resources = new JsonArray();
        foreach (var r in version.OrderBy(r => r.Plural, StringComparer.Ordinal))
        {
            var resource = new JsonObject
            {
                ["resource"] = r.Plural,
                ["responseKind"] = Gvk(r.Group, r.Version, r.Kind),
                ["scope"] = r.Namespaced ? "Namespaced" : "Cluster",
                ["singularResource"] = r.Singular,
                ["verbs"] = new JsonArray(r.Verbs.Select(v => (JsonNode)v).ToArray()),
            };
            if (r.ShortNames.Count > 0)
            {
                resource["shortNames"] = new JsonArray(r.ShortNames.Select(s => (JsonNode)s).ToArray());
            }

            if (r.Categories.Count > 0)
            {
                resource["categories"] = new JsonArray(r.Categories.Select(s => (JsonNode)s).ToArray());
            }

            if (r.Subresources.Count > 0)
            {
                var subs = new JsonArray();
                foreach (var sub in r.Subresources)
                {
                    var (kindGroup, kindVersion, kind, verbs) = Subresource(r, sub);
                    subs.Add(new JsonObject
                    {
                        ["subresource"] = sub,
                        ["responseKind"] = Gvk(kindGroup, kindVersion, kind),
                        ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v).ToArray()),
                    });
                }

                resource["subresources"] = subs;
            }

            resources.Add(resource);
        }

        return resources;
    }

    private static JsonObject ResourceList(string groupVersion, IEnumerable<DiscoveryResource> resources)
    {
        var list = new JsonArray();
        foreach (var r in resources.OrderBy(r => r.Plural, StringComparer.Ordinal))
        {
            var main = new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray(r.Verbs.Select(v => (JsonNode)v).ToArray()),
            };
            if (r.ShortNames.Count > 0)
            {
                main["shortNames"] = new JsonArray(r.ShortNames.Select(s => (JsonNode)s).ToArray());
            }

            if (r.Categories.Count > 0)
            {
                main["categories"] = new JsonArray(r.Categories.Select(s => (JsonNode)s).ToArray());
            }

            list.Add(main);
            foreach (var sub in r.Subresources)
            {
                var (g, v, kind, verbs) = Subresource(r, sub);
                var entry = new JsonObject
                {
                    ["name"] = r.Plural + "/" + sub,
                    ["singularName"] = "",
                    ["namespaced"] = r.Namespaced,
                    ["kind"] = kind,
                    ["verbs"] = new JsonArray(verbs.Select(x => (JsonNode)x).ToArray()),
                };
                if (g != r.Group || v != r.Version)
                {
                    entry["group"] = g;
                    entry["version"] = v;
                }

                list.Add(entry);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = groupVersion,
            ["resources"] = list,
        };
    }

    private static (string Group, string Version, string Kind, string[] Verbs) Subresource(DiscoveryResource r, string sub) => sub switch
    {
        "status" => (r.Group, r.Version, r.Kind, ["get", "patch", "update"]),
        "scale" => ("autoscaling", "v1", "Scale", ["get", "patch", "update"]),
        "binding" => ("", "v1", "Binding", ["create"]),
        "eviction" => ("policy", "v1", "Eviction", ["create"]),
        "log" => ("", "v1", "Pod", ["get"]),
        "exec" => ("", "v1", "PodExecOptions", ["create", "get"]),
        "attach" => ("", "v1", "PodAttachOptions", ["create", "get"]),
        "portforward" => ("", "v1", "PodPortForwardOptions", ["create", "get"]),
        "proxy" => ("", "v1", r.Kind + "ProxyOptions", ["create", "delete", "get", "patch", "update"]),
        "finalize" => (r.Group, r.Version, r.Kind, ["update"]),
        "token" => ("authentication.k8s.io", "v1", "TokenRequest", ["create"]),
        _ => (r.Group, r.Version, r.Kind, ["get"]),
    };

    private static JsonObject Gvk(string group, string version, string kind) =>
        new() { ["group"] = group, ["version"] = version, ["kind"] = kind };
}
