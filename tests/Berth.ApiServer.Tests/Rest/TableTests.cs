using System.Net;
using System.Text.Json.Nodes;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;

namespace Berth.ApiServer.Tests.Rest;

/// <summary>Server-side tables as kubectl asks for them: the row objects each <c>includeObject</c> policy gives.</summary>
public sealed class TableTests : IClassFixture<BerthServer>
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";

    private readonly BerthServer _server;
    private readonly Kubernetes _client;

    public TableTests(BerthServer server)
    {
        _server = server;
        _client = server.Client;
    }

    private async Task<string> NewNamespaceWithServiceAsync()
    {
        var ns = "tbl-" + Guid.NewGuid().ToString("N")[..8];
        await _client.CoreV1.CreateNamespaceAsync(Objects.Namespace(ns));
        await _client.CoreV1.CreateNamespacedServiceAsync(Objects.Service("web"), ns);
        return ns;
    }

    private async Task<(HttpStatusCode Code, JsonNode Body)> GetTableAsync(string path)
    {
        using var http = _server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(TableAccept);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task List_IncludeObjectObject_RowObjectIsTheWholeService()
    {
        var ns = await NewNamespaceWithServiceAsync();

        var (code, table) = await GetTableAsync($"/api/v1/namespaces/{ns}/services?includeObject=Object");

        Assert.Equal(HttpStatusCode.OK, code);
        var row = table["rows"]!.AsArray().Single()!["object"]!;
        Assert.Equal("v1", row["apiVersion"]!.GetValue<string>());
        Assert.Equal("Service", row["kind"]!.GetValue<string>());
        Assert.Equal("web", row["metadata"]!["name"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(row["metadata"]!["resourceVersion"]!.GetValue<string>()));
        Assert.Equal(table["rows"]![0]!["cells"]![2]!.GetValue<string>(), row["spec"]!["clusterIP"]!.GetValue<string>());
        Assert.Equal(8080, row["spec"]!["ports"]![0]!["targetPort"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?includeObject=Metadata")]
    [InlineData("?includeObject=")]
    public async Task Get_IncludeObjectMetadataOrDefault_RowObjectIsPartialObjectMetadata(string query)
    {
        var ns = await NewNamespaceWithServiceAsync();

        var (code, table) = await GetTableAsync($"/api/v1/namespaces/{ns}/services/web{query}");

        Assert.Equal(HttpStatusCode.OK, code);
        var row = table["rows"]!.AsArray().Single()!["object"]!.AsObject();
        Assert.Equal("meta.k8s.io/v1", row["apiVersion"]!.GetValue<string>());
        Assert.Equal("PartialObjectMetadata", row["kind"]!.GetValue<string>());
        Assert.Equal("web", row["metadata"]!["name"]!.GetValue<string>());
        Assert.False(row.ContainsKey("spec"));
    }

    [Fact]
    public async Task List_IncludeObjectNone_RowObjectIsNull()
    {
        var ns = await NewNamespaceWithServiceAsync();

        var (code, table) = await GetTableAsync($"/api/v1/namespaces/{ns}/services?includeObject=None");

        Assert.Equal(HttpStatusCode.OK, code);
        var row = table["rows"]!.AsArray().Single()!.AsObject();
        Assert.True(row.ContainsKey("object"));
        Assert.Null(row["object"]);
        Assert.Equal("web", row["cells"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task List_IncludeObjectUnknown_BadRequestAsKubernetes()
    {
        var ns = await NewNamespaceWithServiceAsync();

        var (code, status) = await GetTableAsync($"/api/v1/namespaces/{ns}/services?includeObject=object");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("BadRequest", status["reason"]!.GetValue<string>());
        Assert.Equal("unrecognized includeObject value: \"object\"", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_TableWithIncludeObjectObject_EventRowCarriesTheWholeService()
    {
        var ns = await NewNamespaceWithServiceAsync();
        using var http = _server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/services?watch=true&includeObject=Object&timeoutSeconds=30");
        request.Headers.Accept.ParseAdd(TableAccept);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var ev = JsonNode.Parse(line!)!;
        Assert.Equal("ADDED", ev["type"]!.GetValue<string>());
        Assert.Equal("Table", ev["object"]!["kind"]!.GetValue<string>());
        var row = ev["object"]!["rows"]!.AsArray().Single()!["object"]!;
        Assert.Equal("Service", row["kind"]!.GetValue<string>());
        Assert.Equal("ClusterIP", row["spec"]!["type"]!.GetValue<string>());
    }
}
