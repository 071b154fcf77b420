using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Rest;

public sealed class ErrorTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;

    public ErrorTests(BerthServer server)
    {
        _server = server;
    }

    private async Task<(HttpStatusCode Code, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? body, string contentType = "application/json")
    {
        using var http = _server.CreateHttpClient();
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }

        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text[0] == '{' ? JsonNode.Parse(text) : null, response);
    }

    private async Task<byte[]> ErrorBodyAsync(string path)
    {
        using var http = _server.CreateHttpClient();
        using var response = await http.GetAsync(path);
        return await response.Content.ReadAsByteArrayAsync();
    }

    // The body kube-apiserver sends for `kubectl get pods abc`, as quoted in Kubernetes' CHANGELOG-1.11.md (audit
    // changes), plus the newline json.Encoder ends every body with.
    [Fact]
    public async Task Get_MissingPod_StatusBodyByteForByteAsKubeApiserver()
    {
        var body = await ErrorBodyAsync("/api/v1/namespaces/default/pods/abc");

        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"abc\" not found","reason":"NotFound","details":{"name":"abc","kind":"pods"},"code":404}""" + "\n",
            Encoding.UTF8.GetString(body));
    }

    // apiserver's NotFound handler: NewGenericServerResponse's empty details are written as "details":{}.
    [Fact]
    public async Task Get_UnknownResource_PathNotFoundBodyWithEmptyDetails()
    {
        var body = await ErrorBodyAsync("/api/v1/namespaces/default/widgets");

        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}""" + "\n",
            Encoding.UTF8.GetString(body));
    }

    // Go's encoder escapes <, > and & (HTML-safe by default) and writes other characters as UTF-8.
    [Fact]
    public async Task Get_MissingPodWithHtmlAndUnicodeName_EscapedAsGo()
    {
        var body = await ErrorBodyAsync("/api/v1/namespaces/default/pods/" + Uri.EscapeDataString("a<b>&c'é"));

        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"a\u003cb\u003e\u0026c'é\" not found","reason":"NotFound","details":{"name":"a\u003cb\u003e\u0026c'é","kind":"pods"},"code":404}""" + "\n",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task Create_MalformedJson_BadRequestStatus()
    {
        var (code, body, _) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/services", "{\"metadata\": {");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("BadRequest", body!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_UnknownFieldStrict_BadRequestNamingTheField()
    {
        var (code, body, _) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/services?fieldValidation=Strict", """{"metadata":{"name":"strict"},"spec":{"foo":1,"ports":[{"port":80}]}}""");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.foo\"", body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_UnknownFieldWarn_CreatesWithWarningHeader()
    {
        var (code, _, response) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/services?fieldValidation=Warn", """{"metadata":{"name":"warned"},"spec":{"foo":1,"ports":[{"port":80}]}}""");

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("299 - \"unknown field \\\"spec.foo\\\"\"", Assert.Single(response.Headers.GetValues("Warning")));
    }

    [Fact]
    public async Task Create_BodyOver3MiB_RequestEntityTooLarge()
    {
        var big = "{\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\"" + new string('x', 3 * 1024 * 1024 + 10) + "\"}}";

        var (code, body, _) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", big);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, code);
        Assert.Equal("RequestEntityTooLarge", body!["reason"]!.GetValue<string>());
        await StatusAssert.FailsAsync(() => _server.Client.CoreV1.ReadNamespacedConfigMapAsync("big", "default"), 404);
    }

    /// <summary>Bodies the fuzz tests (tests/Berth.Core.Tests/Fuzzing) found answered with a 500 once.</summary>
    [Theory]
    [InlineData("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices", "application/json", "{\"metadata\":{\"name\":\"nullport\"},\"addressType\":\"IPv4\",\"endpoints\":[],\"ports\":[null]}", HttpStatusCode.Created)]
    [InlineData("/api/v1/namespaces/default/configmaps", "application/yaml", "data: {\"delete\"\n$deleteFromPrimitiveList/args: &a 3.5\n", HttpStatusCode.BadRequest)]
    public async Task Create_BodyFuzzingFound_AnsweredWithoutInternalError(string path, string contentType, string body, HttpStatusCode expected)
    {
        var (code, status, _) = await SendAsync(HttpMethod.Post, path, body, contentType);

        Assert.Equal(expected, code);
        Assert.NotNull(status);
    }

    [Fact]
    public async Task Request_UnknownResource_NotFound()
    {
        var (code, body, _) = await SendAsync(HttpMethod.Get, "/apis/example.com/v1/namespaces/default/widgets", null);

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("NotFound", body!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_UnknownPatchType_UnsupportedMediaType()
    {
        await _server.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "mt" } }, "default");

        var (code, body, _) = await SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/mt", "{}", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, code);
        Assert.Equal("UnsupportedMediaType", body!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_KindMismatch_BadRequest()
    {
        var (code, _, _) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/services", """{"kind":"Pod","apiVersion":"v1","metadata":{"name":"x"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task Create_YamlBody_Accepted()
    {
        var (code, body, _) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: \"1\"\n", "application/yaml");

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("1", body!["data"]!["a"]!.GetValue<string>());
    }

    [Fact]
    public async Task Service_InvalidFields_Invalid422WithOneCausePerField()
    {
        var svc = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "bad-svc" },
            Spec = new V1ServiceSpec
            {
                Ports = [new V1ServicePort { Name = "a", Port = 70000 }, new V1ServicePort { Name = "b", Port = 80, Protocol = "ICMP" }],
            },
        };

        var status = await StatusAssert.FailsAsync(() => _server.Client.CoreV1.CreateNamespacedServiceAsync(svc, "default"), 422);

        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("Service", status.Details.Kind);
        Assert.Contains(status.Details.Causes, c => c.Field == "spec.ports[0].port" && c.Message == "Invalid value: 70000: must be between 1 and 65535, inclusive");
        Assert.Contains(status.Details.Causes, c => c.Field == "spec.ports[1].protocol" && c.Message == "Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
        Assert.StartsWith("Service \"bad-svc\" is invalid: [", status.Message);
        await StatusAssert.FailsAsync(() => _server.Client.CoreV1.ReadNamespacedServiceAsync("bad-svc", "default"), 404);
    }
}
