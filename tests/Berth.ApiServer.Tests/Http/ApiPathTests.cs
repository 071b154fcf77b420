using Berth.ApiServer.Http;
using Berth.Core.Errors;
using Berth.Core.Resources;

namespace Berth.ApiServer.Tests.Http;

/// <summary>
/// The one URL parser, against apiserver's <c>TestGetAPIRequestInfo</c> cases
/// (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo_test.go), and the router's resolution of it.
/// </summary>
public sealed class ApiPathTests
{
    [Theory]
    [InlineData("/api/v1/namespaces", "", "v1", "", "namespaces", "", "")]
    [InlineData("/api/v1/namespaces/other", "", "v1", "other", "namespaces", "other", "")]
    [InlineData("/api/v1/namespaces/other/status", "", "v1", "other", "namespaces", "other", "status")]
    [InlineData("/api/v1/namespaces/other/finalize", "", "v1", "other", "namespaces", "other", "finalize")]
    [InlineData("/api/v1/namespaces/other/pods", "", "v1", "other", "pods", "", "")]
    [InlineData("/api/v1/namespaces/other/pods/foo", "", "v1", "other", "pods", "foo", "")]
    [InlineData("/api/v1/namespaces/other/pods/foo/log", "", "v1", "other", "pods", "foo", "log")]
    [InlineData("/api/v1/pods", "", "v1", "", "pods", "", "")]
    [InlineData("/api/v1/nodes/n1/status", "", "v1", "", "nodes", "n1", "status")]
    [InlineData("/apis/apps/v1/namespaces/other/deployments/web/scale", "apps", "v1", "other", "deployments", "web", "scale")]
    [InlineData("/apis/extensions/v1beta1/namespaces/other/ingresses", "extensions", "v1beta1", "other", "ingresses", "", "")]
    public void Parse_NamesTheResource(string path, string group, string version, string ns, string resource, string name, string sub)
    {
        var api = ApiPath.Parse(path);

        Assert.True(api.IsResourceRequest);
        Assert.Equal((group, version, ns, resource, name, sub), (api.Group, api.Version, api.Namespace, api.Resource, api.Name, api.Subresource));
        Assert.Null(api.SpecialVerb);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api")]
    [InlineData("/api/v1")]
    [InlineData("/apis")]
    [InlineData("/apis/apps")]
    [InlineData("/apis/apps/v1")]
    [InlineData("/healthz")]
    [InlineData("/openapi/v3/api/v1")]
    public void Parse_OtherPaths_AreNotResourceRequests(string path) => Assert.False(ApiPath.Parse(path).IsResourceRequest);

    [Fact]
    public void Parse_DeprecatedVerbForms()
    {
        var watch = ApiPath.Parse("/api/v1/watch/namespaces/other/pods/foo");
        Assert.Equal(("watch", "other", "pods", "foo"), (watch.SpecialVerb, watch.Namespace, watch.Resource, watch.Name));

        // Under proxy, what follows the name is the proxied path, not a subresource.
        var proxy = ApiPath.Parse("/api/v1/proxy/namespaces/other/pods/foo/some/path");
        Assert.Equal(("proxy", "pods", "foo", ""), (proxy.SpecialVerb, proxy.Resource, proxy.Name, proxy.Subresource));
    }

    [Fact]
    public void Resolve_ProxiedPathAndNamespaceObject()
    {
        var registry = ResourceRegistry.Default;

        var proxied = RequestResolver.Resolve(registry, ApiPath.Parse("/api/v1/namespaces/ns1/pods/p/proxy/a/b"))!;
        Assert.Equal(("pods", "ns1", "p", "proxy", "a/b"), (proxied.Resource.Plural, proxied.Namespace, proxied.Name, proxied.Subresource, proxied.SubPath));

        var ns = RequestResolver.Resolve(registry, ApiPath.Parse("/api/v1/namespaces/ns1/finalize"))!;
        Assert.Equal(("namespaces", null, "ns1", "finalize"), (ns.Resource.Plural, ns.Namespace, ns.Name, ns.Subresource));

        Assert.Null(RequestResolver.Resolve(registry, ApiPath.Parse("/apis/apps/v1")));
    }

    [Theory]
    [InlineData("/api/v1/namespaces/ns1/nodes")] // a cluster-scoped kind under a namespace
    [InlineData("/api/v1/namespaces/ns1/namespaces")]
    [InlineData("/api/v1/namespaces/ns1/pods/p/nosuch")] // an unknown subresource
    [InlineData("/api/v2/pods")] // a version not served
    [InlineData("/apis/apps/v1/widgets")]
    [InlineData("/api/v1/watch/pods")] // deprecated verb forms are not served
    [InlineData("/api/v1/namespaces/ns1/pods//log")] // an empty name
    public void Resolve_NotServed_Is404(string path)
    {
        var e = Assert.Throws<StatusException>(() => RequestResolver.Resolve(ResourceRegistry.Default, ApiPath.Parse(path)));
        Assert.Equal(404, e.Status.Code);
    }
}
