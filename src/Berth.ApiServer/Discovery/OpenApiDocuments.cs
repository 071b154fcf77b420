using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.OpenApi;
using Berth.Core.Resources;

namespace Berth.ApiServer.Discovery;

/// <summary>
/// The OpenAPI v3 documents, one per group-version, as kube-apiserver serves them at <c>/openapi/v3/&lt;gv&gt;?hash=</c>.
/// Each holds the schemas of its kinds and everything they reference (<see cref="OpenApiSchemas"/>, generated from the
/// KubernetesClient models), which <c>kubectl explain</c> reads, and a PATCH operation per kind that lists the
/// <c>fieldValidation</c> parameter: kubectl <c>create</c>, <c>apply</c> and <c>replace</c> look for it and, when found,
/// leave validation to the server (<c>fieldValidation=Strict</c>), which Berth does. The documents are built on the
/// first request, not at start (see the Discovery README for the cost).
/// </summary>
internal sealed class OpenApiDocuments
{
    private readonly Lazy<Built> _built;

    public OpenApiDocuments(ResourceRegistry registry, TimeProvider time)
    {
        _built = new Lazy<Built>(() => Build(registry, time.GetUtcNow()));
        Time = time;
    }

    /// <summary>The <c>/openapi/v3</c> index: each group-version's document URL with the hash of its content.</summary>
    public Document Root => _built.Value.Root;

    /// <summary>By group-version path (<c>api/v1</c>, <c>apis/apps/v1</c>).</summary>
    public IReadOnlyDictionary<string, Document> Documents => _built.Value.Documents;

    /// <summary>The clock of the caching headers (<c>Expires</c> a year from the request, as kube-openapi sets it).</summary>
    public TimeProvider Time { get; }

    /// <summary>A document's JSON, the hash of that JSON (its ETag, and the <c>?hash=</c> of its URL), and when it was built.</summary>
    public sealed record Document(byte[] Json, string Hash, DateTimeOffset LastModified);

    private sealed record Built(Document Root, IReadOnlyDictionary<string, Document> Documents);

    private static Built Build(ResourceRegistry registry, DateTimeOffset now)
    {
        var documents = new Dictionary<string, Document>();
        var paths = new JsonObject();
        foreach (var gv in registry.All.GroupBy(r => r.GroupVersionPath.TrimStart('/')))
        {
            var doc = Hashed(GroupVersionDocument(gv.ToList()), now);
            documents[gv.Key] = doc;
            paths[gv.Key] = new JsonObject { ["serverRelativeURL"] = "/openapi/v3/" + gv.Key + "?hash=" + doc.Hash };
        }

        return new Built(Hashed(new JsonObject { ["paths"] = paths }, now), documents);
    }

    private static Document Hashed(JsonObject document, DateTimeOffset now)
    {
        var json = Encoding.UTF8.GetBytes(document.ToJsonString());
        return new Document(json, Convert.ToHexString(SHA256.HashData(json)), now);
    }

    private static JsonObject GroupVersionDocument(IReadOnlyList<ResourceInfo> resources)
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
                    ["requestBody"] = PatchBody(),
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = OpenApiSchemas.For(resources) },
        };
    }

    /// <summary>
    /// The patch types a kind accepts. kubectl 1.32's <c>apply</c> computes its strategic merge patch from these
    /// documents' schemas when the kind's PATCH lists <c>application/strategic-merge-patch+json</c>
    /// (<c>gvkSupportsPatchOpenAPIV3</c> in kubectl's apply/patcher.go); otherwise it asks for <c>/openapi/v2</c>, which
    /// Berth does not serve, and falls back to the tags compiled into kubectl.
    /// </summary>
    private static JsonObject PatchBody()
    {
        var content = new JsonObject();
        foreach (var type in (string[])["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"])
        {
            content[type] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } };
        }

        return new JsonObject { ["content"] = content, ["required"] = true };
    }
}
