using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Berth.ApiServer.Tests.Infrastructure;

namespace Berth.ApiServer.Tests.Security;

/// <summary>
/// Bodies built to exhaust a server (issue 11), sent to a real <c>berth server</c> process whose peak resident memory
/// is its own: each is refused with a Status naming the limit, and the server's peak stays within a loose bound.
/// </summary>
public sealed class HostileBodyTests : IClassFixture<BerthProcessFixture>, IAsyncLifetime
{
    /// <summary>Loose: a refused body costs a few MiB; the alias bomb took the unbounded server to 1.5 GB.</summary>
    private const long MemoryBound = 100L * 1024 * 1024;

    private readonly BerthProcessFixture _fixture;
    private long _baseline;

    public HostileBodyTests(BerthProcessFixture fixture)
    {
        _fixture = fixture;
    }

    public async Task InitializeAsync()
    {
        // Warm up the paths measured (TLS, JSON, YAML) so that the baseline includes what any first request loads.
        await SendAsync("POST", "/api/v1/namespaces/default/configmaps", "metadata: {generateName: warm-}\n", "application/yaml");
        await SendAsync("POST", "/api/v1/namespaces/default/configmaps", """{"metadata":{"generateName":"warm-"}}""", "application/json");
        _baseline = _fixture.Server.PeakResidentBytes();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("POST", "/api/v1/namespaces/default/configmaps", "application/yaml")]
    [InlineData("PATCH", "/api/v1/namespaces/default/configmaps/billion-laughs-cm?fieldManager=t", "application/apply-patch+yaml")]
    public async Task YamlAliasBomb_BadRequestNamingTheLimit_MemoryStaysBounded(string method, string path, string contentType)
    {
        var (code, status) = await SendAsync(method, path, HostileBodies.BillionLaughs, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("BadRequest", status["reason"]!.GetValue<string>());
        Assert.Equal("error converting YAML to JSON: yaml: document contains excessive aliasing", status["message"]!.GetValue<string>());
        AssertMemoryBounded();
    }

    [Fact]
    public async Task DeeplyNestedJson_BadRequestNamingTheDepth()
    {
        var body = """{"metadata":{"name":"deep"},"data":{},"x":""" + new string('[', 1_000_000) + new string(']', 1_000_000) + "}";

        var (code, status) = await SendAsync("POST", "/api/v1/namespaces/default/configmaps", body, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: exceeded max depth of 64", status["message"]!.GetValue<string>());
        AssertMemoryBounded();
    }

    [Theory]
    [InlineData("flow")]
    [InlineData("block")]
    public async Task DeeplyNestedYaml_BadRequestNamingTheDepth(string style)
    {
        var body = style == "flow"
            ? "metadata: {name: deep}\nx: " + new string('[', 1_000_000) + "\n"
            : "metadata: {name: deep}\n" + string.Concat(Enumerable.Range(0, 2000).Select(i => new string(' ', i) + "k:\n"));

        var (code, status) = await SendAsync("POST", "/api/v1/namespaces/default/configmaps", body, "application/yaml");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("error converting YAML to JSON: yaml: exceeded max depth of 64", status["message"]!.GetValue<string>());
        AssertMemoryBounded();
    }

    [Fact]
    public async Task ManySmallValues_RequestEntityTooLarge()
    {
        // 2 bytes on the wire, a JSON object and a typed container in memory, and two validation errors each.
        var body = """{"metadata":{"name":"wide"},"spec":{"containers":[""" + string.Join(",", Enumerable.Repeat("{}", 1_000_000)) + "]}}";

        var (code, status) = await SendAsync("POST", "/api/v1/namespaces/default/pods", body, "application/json");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, code);
        Assert.Equal("Request entity too large: limit is 50000 values in one body", status["message"]!.GetValue<string>());
        AssertMemoryBounded();
    }

    [Fact]
    public async Task YamlExpandingPastTheBodyLimit_RequestEntityTooLarge()
    {
        // Few aliases (go-yaml's ratio lets them through) of a large string: 2 MiB of YAML expand to 32 MiB of JSON.
        var body = "metadata: {name: grows}\ns: &s " + new string('x', 2 * 1024 * 1024) + "\ndata: {" + string.Join(",", Enumerable.Range(0, 16).Select(i => $"k{i}: *s")) + "}\n";

        var (code, status) = await SendAsync("POST", "/api/v1/namespaces/default/configmaps", body, "application/yaml");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, code);
        Assert.Equal("Request entity too large: limit is 3145728; the YAML document expands to more JSON than that", status["message"]!.GetValue<string>());
        AssertMemoryBounded();
    }

    [Fact]
    public async Task DeleteOptionsOverTheByteLimit_RequestEntityTooLarge()
    {
        var body = """{"kind":"DeleteOptions","x":" """ + new string('x', 4 * 1024 * 1024) + "\"}";

        var (code, _) = await SendAsync("DELETE", "/api/v1/namespaces/default/configmaps/none", body, "application/json");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, code);
        AssertMemoryBounded();
    }

    private void AssertMemoryBounded() => _fixture.Server.AssertPeakGrowthBelow(_baseline, MemoryBound);

    private async Task<(HttpStatusCode Code, JsonNode Status)> SendAsync(string method, string path, string body, string contentType)
    {
        using var http = _fixture.Server.CreateHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!);
    }
}
