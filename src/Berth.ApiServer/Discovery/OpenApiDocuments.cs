using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Resources;

namespace Berth.ApiServer.Discovery;

/// <summary>
/// The OpenAPI v3 documents kubectl fetches before <c>create</c>, <c>apply</c> and <c>replace</c>. kubectl only
/// looks for a PATCH operation tagged with the kind that lists the <c>fieldValidation</c> parameter; when it finds
/// one it leaves validation to the server (<c>fieldValidation=Strict</c>), which Berth does.
/// </summary>
internal sealed class OpenApiDocuments
{
    public OpenApiDocuments(ResourceRegistry registry)
    {
        var byGv = registry.All.GroupBy(r => r.GroupVersionPath.TrimStart('/')).ToList();
        var documents = new Dictionary<string, string>();
        var paths = new JsonObject();
        foreach (var gv in byGv)
        {
            var doc = Document(gv).ToJsonString();
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(doc)));
            documents[gv.Key] = doc;
            paths[gv.Key] = new JsonObject { ["serverRelativeURL"] = "/openapi/v3/" + gv.Key + "?hash=" + hash };
        }

        Root = new JsonObject { ["paths"] = paths }.ToJsonString();
        Documents = documents;
    }

    public string Root { get; }

    /// <summary>By group-version path (<c>api/v1</c>, <c>apis/apps/v1</c>).</summary>
    public IReadOnlyDictionary<string, string> Documents { get; }

    private static JsonObject Document(IEnumerable<ResourceInfo> resources)
    {
        var paths = new JsonObject();
        foreach (var r in resources)
        {
            var item = r.Namespaced
                ? $"{r.GroupVersionPath}/namespaces/{{namespace}}/{r.Plural}/{{name}}"
                : $"{r.GroupVersionPath}/{r.Plural}/{{name}}";
            paths[item] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = "patch" + r.Kind,
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = r.Group, ["version"] = r.Version, ["kind"] = r.Kind },
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } },
                        new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } },
                        new JsonObject { ["name"] = "dryRun", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } }),
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }
}
