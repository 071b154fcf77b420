using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Berth.ApiServer.Tests.Infrastructure;

namespace Berth.ApiServer.Tests.Discovery;

/// <summary>The OpenAPI v3 documents over HTTPS, with kube-openapi's caching headers and hash redirects.</summary>
public sealed class OpenApiDocumentsTests(BerthServer server) : IClassFixture<BerthServer>
{
    [Fact]
    public async Task GroupVersion_CurrentHash_ImmutableWithETag()
    {
        using var http = server.CreateHttpClient();
        var url = await DocumentUrlAsync(http, "apis/apps/v1");

        using var response = await http.GetAsync(url);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"" + url.Split("?hash=")[1] + "\"", response.Headers.ETag?.Tag);
        Assert.Equal("public, immutable", response.Headers.CacheControl?.ToString());
        Assert.True(response.Content.Headers.Expires > DateTimeOffset.UtcNow.AddDays(300));
        Assert.NotNull(document["components"]!["schemas"]!["io.k8s.api.apps.v1.Deployment"]);
        Assert.NotNull(document["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]);
    }

    [Fact]
    public async Task GroupVersion_IfNoneMatchItsETag_NotModified()
    {
        using var http = server.CreateHttpClient();
        var url = await DocumentUrlAsync(http, "api/v1");
        using var first = await http.GetAsync(url);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GroupVersion_OtherHash_RedirectedToCurrent()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && server.Host.Credentials.IsServerCertificate(cert) };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(server.Host.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Host.Credentials.AdminToken);
        var url = await DocumentUrlAsync(http, "api/v1");

        using var response = await http.GetAsync("/openapi/v3/api/v1?hash=0123");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(url, response.Headers.Location?.ToString());
    }

    private static async Task<string> DocumentUrlAsync(HttpClient http, string groupVersion)
    {
        var root = JsonNode.Parse(await http.GetStringAsync("/openapi/v3"))!;
        return (string)root["paths"]![groupVersion]!["serverRelativeURL"]!;
    }
}
