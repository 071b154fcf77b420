using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Rest;

public sealed class ListWatchTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Kubernetes _client;

    public ListWatchTests(BerthServer server)
    {
        _server = server;
        _client = server.Client;
    }

    private async Task<string> NewNamespaceAsync()
    {
        var name = "ns-" + Guid.NewGuid().ToString("N")[..8];
        await _client.CoreV1.CreateNamespaceAsync(Objects.Namespace(name));
        return name;
    }

    [Fact]
    public async Task List_LabelSelectorOperators_FilterAsKubernetes()
    {
        var ns = await NewNamespaceAsync();
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("a", labels: new Dictionary<string, string> { ["env"] = "prod", ["tier"] = "web" }), ns);
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("b", labels: new Dictionary<string, string> { ["env"] = "dev" }), ns);
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("c"), ns);

        async Task<string> Names(string selector) =>
            string.Join(",", (await _client.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: selector)).Items.Select(s => s.Metadata.Name));

        Assert.Equal("a", await Names("env=prod"));
        Assert.Equal("a", await Names("env==prod"));
        Assert.Equal("b,c", await Names("env!=prod"));
        Assert.Equal("a,b", await Names("env in (prod,dev)"));
        Assert.Equal("c", await Names("env notin (prod,dev)"));
        Assert.Equal("a,b", await Names("env"));
        Assert.Equal("c", await Names("!env"));
        Assert.Equal("a", await Names("env,tier=web"));
    }

    [Fact]
    public async Task List_FieldSelector_MetadataNameAndPhase()
    {
        var ns = await NewNamespaceAsync();
        await _client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p1"), ns);
        await _client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p2", nodeName: "node-a"), ns);

        var byName = await _client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "metadata.name=p1");
        var byNode = await _client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "spec.nodeName=node-a");
        var pending = await _client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "status.phase=Pending,metadata.name!=p1");

        Assert.Equal(["p1"], byName.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["p2"], byNode.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["p2"], pending.Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task List_UnsupportedField_BadRequest()
    {
        var status = await StatusAssert.FailsAsync(() => _client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "spec.foo=bar"), 400);

        Assert.Contains("field label not supported: spec.foo", status.Message);
    }

    [Fact]
    public async Task List_LimitAndContinue_PagesThroughEverything()
    {
        var ns = await NewNamespaceAsync();
        for (var i = 0; i < 7; i++)
        {
            await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cm-{i}" } }, ns);
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 3, continueParameter: token);
            names.AddRange(page.Items.Select(c => c.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"cm-{i}"), names);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task List_AllNamespaces_IncludesEveryNamespace()
    {
        var ns1 = await NewNamespaceAsync();
        var ns2 = await NewNamespaceAsync();
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("everywhere"), ns1);
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("everywhere"), ns2);

        var all = await _client.CoreV1.ListServiceForAllNamespacesAsync(fieldSelector: "metadata.name=everywhere");

        Assert.Equal(new[] { ns1, ns2 }.Order(), all.Items.Select(s => s.Metadata.NamespaceProperty).Order());
    }

    [Fact]
    public async Task Watch_FromResourceVersion_DeliversExactlyTheLaterChangesInOrder()
    {
        var ns = await NewNamespaceAsync();
        var a = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, ns);
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "b" } }, ns);
        a.Data = new Dictionary<string, string> { ["x"] = "1" };
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(a, "a", ns);
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("b", ns);

        var seen = new List<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = _client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: a.Metadata.ResourceVersion, cancellationToken: cts.Token);
        await foreach (var (type, item) in events)
        {
            seen.Add($"{type}:{item.Metadata.Name}");
            if (seen.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(["Added:b", "Modified:a", "Deleted:b"], seen);
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithAddedForCurrentState()
    {
        var ns = await NewNamespaceAsync();
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("s1"), ns);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = _client.CoreV1.WatchListNamespacedServiceAsync(ns, cancellationToken: cts.Token);
        var seen = new List<string>();
        await foreach (var (type, item) in events)
        {
            seen.Add($"{type}:{item.Metadata.Name}");
            if (seen.Count == 1)
            {
                await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("s2"), ns, cancellationToken: cts.Token);
            }
            else
            {
                break;
            }
        }

        Assert.Equal(["Added:s1", "Added:s2"], seen);
    }

    [Fact]
    public async Task Watch_AllowBookmarks_SendsBookmarkWithResourceVersion()
    {
        var ns = await NewNamespaceAsync();
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "bm" } }, ns);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = _client.CoreV1.WatchListNamespacedConfigMapAsync(ns, allowWatchBookmarks: true, resourceVersion: created.Metadata.ResourceVersion, cancellationToken: cts.Token);
        WatchEventType? first = null;
        string? rv = null;
        await foreach (var (type, item) in events)
        {
            first = type;
            rv = item.Metadata.ResourceVersion;
            break;
        }

        Assert.Equal(WatchEventType.Bookmark, first);
        Assert.True(long.Parse(rv!) >= long.Parse(created.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsTheStreamCleanly()
    {
        using var http = _server.CreateHttpClient();
        var rv = _server.Host.Store.CurrentRevision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // The whole chunked body arrives and ends (no exception), empty because nothing changed in kube-public.
        var body = await http.GetStringAsync($"/api/v1/namespaces/kube-public/configmaps?watch=true&timeoutSeconds=1&resourceVersion={rv}", cts.Token);

        Assert.Equal("", body);
        Assert.False(cts.IsCancellationRequested);
    }

    [Fact]
    public async Task Watch_CompactedResourceVersion_Expired410Event()
    {
        var ns = await NewNamespaceAsync();
        var first = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "old" } }, ns);
        for (var i = 0; i < 5; i++)
        {
            await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"new-{i}" } }, ns);
        }

        await _server.Host.Store.CompactAsync(_server.Host.Store.CurrentRevision - 1, CancellationToken.None);

        using var http = _server.CreateHttpClient();
        var text = await http.GetStringAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={first.Metadata.ResourceVersion}");
        var ev = JsonNode.Parse(text.Split('\n')[0])!;
        Assert.Equal("ERROR", ev["type"]!.GetValue<string>());
        Assert.Equal(410, ev["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", ev["object"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_TableAccept_ServiceColumnsAsKubernetes()
    {
        var ns = await NewNamespaceAsync();
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("tbl", port: 80), ns);
        using var http = _server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/services?limit=500");
        request.Headers.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await http.SendAsync(request);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        var columns = table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"], columns);
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("tbl", cells[0]!.GetValue<string>());
        Assert.Equal("ClusterIP", cells[1]!.GetValue<string>());
        Assert.Equal("80/TCP", cells[4]!.GetValue<string>());
        Assert.Equal("PartialObjectMetadata", table["rows"]![0]!["object"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discovery_Aggregated_HasExactContentTypeAndResources()
    {
        using var http = _server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"));

        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", response.Content.Headers.ContentType!.ToString().Replace(" ", "", StringComparison.Ordinal));
        var groups = body["items"]!.AsArray().Select(g => g!["metadata"]!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("apps", groups);
        Assert.Contains("discovery.k8s.io", groups);
        Assert.Contains("coordination.k8s.io", groups);
    }

    [Fact]
    public async Task Version_IsOpenAndKubernetesShaped()
    {
        using var http = _server.CreateHttpClient(token: null);

        var version = JsonNode.Parse(await http.GetStringAsync("/version"))!;

        Assert.Equal("1", version["major"]!.GetValue<string>());
        Assert.StartsWith("v1.", version["gitVersion"]!.GetValue<string>());
    }
}
