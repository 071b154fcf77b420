using System.Globalization;
using System.Text.Json.Nodes;
using Berth.ApiServer.Discovery;
using Berth.ApiServer.Http;
using Berth.ApiServer.Rest;
using Berth.Core.Errors;
using Berth.Core.Resources;
using Berth.Core.Selectors;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Metrics;

/// <summary>
/// <c>metrics.k8s.io/v1beta1</c> as metrics-server serves it (an aggregated API in Kubernetes; here beside the
/// registry): <c>nodes</c> (NodeMetrics) and <c>pods</c> (PodMetrics), get and list only, from the nodes'
/// <c>/metrics/resource</c> (<see cref="NodeScraper"/>). What <c>kubectl top</c> and the HPA controller read.
/// </summary>
internal sealed class MetricsApi
{
    public const string Group = "metrics.k8s.io";
    public const string Version = "v1beta1";
    private const string Prefix = "/apis/" + Group + "/" + Version + "/";

    /// <summary>The resources as discovery lists them (metrics-server's APIService answers the same).</summary>
    public static readonly IReadOnlyList<DiscoveryResource> Resources =
    [
        new(Group, Version, "NodeMetrics", "nodes", Namespaced: false, ["get", "list"]) { Singular = "" },
        new(Group, Version, "PodMetrics", "pods", Namespaced: true, ["get", "list"]) { Singular = "" },
    ];

    private readonly ObjectStore _objects;
    private readonly ResourceInfo _pods;
    private readonly ResourceInfo _nodes;
    private readonly NodeScraper _scraper;

    public MetricsApi(ObjectStore objects, ResourceRegistry registry, NodeScraper scraper)
    {
        _objects = objects;
        _pods = registry.Find("", "pods")!;
        _nodes = registry.Find("", "nodes")!;
        _scraper = scraper;
    }

    public static bool Handles(string path) => path.StartsWith(Prefix, StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext context, string path)
    {
        var ct = context.RequestAborted;
        var parts = path[Prefix.Length..].Trim('/').Split('/');
        var (ns, resource, name) = parts switch
        {
            ["nodes"] => (null, "nodes", null),
            ["nodes", var n] => (null, "nodes", n),
            ["pods"] => (null, "pods", null),
            ["namespaces", var s, "pods"] => (s, "pods", null),
            ["namespaces", var s, "pods", var n] => (s, "pods", n),
            _ => throw StatusErrors.PathNotFound(),
        };
        if (context.Request.Method is not ("GET" or "HEAD") || context.Request.Query.GetBool("watch"))
        {
            throw StatusErrors.MethodNotAllowed($"the server does not allow this method on the requested resource ({context.Request.Method} {resource}.{Group})");
        }

        var labels = ParseSelector(context.Request.Query.Get("labelSelector"));
        var body = resource == "nodes"
            ? await NodesAsync(name, labels, ct).ConfigureAwait(false)
            : await PodsAsync(ns, name, labels, ct).ConfigureAwait(false);
        await Responses.WriteJsonAsync(context, 200, body, ct).ConfigureAwait(false);
    }

    private async Task<JsonObject> NodesAsync(string? name, LabelSelector labels, CancellationToken ct)
    {
        var nodes = (await ListAsync<V1Node>(_nodes, null, ct).ConfigureAwait(false))
            .Where(n => (name is null || n.Metadata.Name == name) && labels.Matches(n.Metadata.Labels))
            .ToList();
        if (name is null)
        {
            _scraper.Retain([.. nodes.Select(n => n.Metadata.Name)]);
        }

        var usages = await Task.WhenAll(nodes.Select(n => _scraper.UsageAsync(n, ct))).ConfigureAwait(false);
        var items = new JsonArray();
        for (var i = 0; i < nodes.Count; i++)
        {
            if (usages[i] is { Node: { } use } usage)
            {
                items.Add(new JsonObject
                {
                    ["metadata"] = Metadata(nodes[i].Metadata, usage.Timestamp),
                    ["timestamp"] = Time(usage.Timestamp),
                    ["window"] = Window(usage.Window),
                    ["usage"] = Usage(use),
                });
            }
        }

        return name is null
            ? List("NodeMetricsList", items)
            : Single(items, "NodeMetrics", "nodes", name);
    }

    private async Task<JsonObject> PodsAsync(string? ns, string? name, LabelSelector labels, CancellationToken ct)
    {
        var pods = (await ListAsync<V1Pod>(_pods, ns, ct).ConfigureAwait(false))
            .Where(p => (name is null || p.Metadata.Name == name) && labels.Matches(p.Metadata.Labels) && !string.IsNullOrEmpty(p.Spec?.NodeName))
            .ToList();
        var nodeNames = pods.Select(p => p.Spec.NodeName).ToHashSet(StringComparer.Ordinal);
        var nodes = (await ListAsync<V1Node>(_nodes, null, ct).ConfigureAwait(false)).Where(n => nodeNames.Contains(n.Metadata.Name)).ToList();
        var usages = await Task.WhenAll(nodes.Select(n => _scraper.UsageAsync(n, ct))).ConfigureAwait(false);
        var byNode = nodes.Zip(usages).Where(x => x.Second is not null).ToDictionary(x => x.First.Metadata.Name, x => x.Second!, StringComparer.Ordinal);
        var items = new JsonArray();
        foreach (var pod in pods)
        {
            if (!byNode.TryGetValue(pod.Spec.NodeName, out var usage))
            {
                continue;
            }

            var containers = new JsonArray();
            foreach (var container in pod.Spec.Containers ?? [])
            {
                if (usage.Containers.TryGetValue((pod.Metadata.NamespaceProperty, pod.Metadata.Name, container.Name), out var use))
                {
                    containers.Add(new JsonObject { ["name"] = container.Name, ["usage"] = Usage(use) });
                }
            }

            // metrics-server leaves out a pod none of whose containers has a rate yet.
            if (containers.Count > 0)
            {
                items.Add(new JsonObject
                {
                    ["metadata"] = Metadata(pod.Metadata, usage.Timestamp),
                    ["timestamp"] = Time(usage.Timestamp),
                    ["window"] = Window(usage.Window),
                    ["containers"] = containers,
                });
            }
        }

        return name is null
            ? List("PodMetricsList", items)
            : Single(items, "PodMetrics", "pods", name);
    }

    private async Task<List<T>> ListAsync<T>(ResourceInfo resource, string? ns, CancellationToken ct)
        where T : class
    {
        var list = await _objects.Store.ListAsync(ObjectStore.Prefix(resource, ns), null, 0, ct).ConfigureAwait(false);
        return [.. list.Items.Select(kv => _objects.Decode(resource, kv).Object).OfType<T>()];
    }

    private static LabelSelector ParseSelector(string? text)
    {
        try
        {
            return string.IsNullOrWhiteSpace(text) ? LabelSelector.Empty : LabelSelector.Parse(text);
        }
        catch (SelectorParseException e)
        {
            throw StatusErrors.BadRequest(e.Message);
        }
    }

    private static JsonObject Metadata(V1ObjectMeta meta, DateTimeOffset timestamp)
    {
        var metadata = new JsonObject { ["name"] = meta.Name };
        if (!string.IsNullOrEmpty(meta.NamespaceProperty))
        {
            metadata["namespace"] = meta.NamespaceProperty;
        }

        // metrics-server sets creationTimestamp to the time of the answer and copies the labels (kubectl top -l filters on them).
        metadata["creationTimestamp"] = Time(timestamp);
        if (meta.Labels is { Count: > 0 } labels)
        {
            metadata["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        }

        return metadata;
    }

    private static JsonObject Usage(ResourceUse use) => new() { ["cpu"] = use.Cpu, ["memory"] = use.Memory };

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A Go duration as metav1.Duration renders it: <c>1.002s</c>.</summary>
    private static string Window(TimeSpan window) => window.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

    private static JsonObject List(string kind, JsonArray items) => new()
    {
        ["kind"] = kind,
        ["apiVersion"] = Group + "/" + Version,
        ["metadata"] = new JsonObject(),
        ["items"] = items,
    };

    private static JsonObject Single(JsonArray items, string kind, string plural, string name)
    {
        if (items.Count == 0 || items[0] is not JsonObject item)
        {
            throw StatusErrors.NotFound(Group, plural, name);
        }

        items.Clear();
        item["kind"] = kind;
        item["apiVersion"] = Group + "/" + Version;
        return item;
    }
}
