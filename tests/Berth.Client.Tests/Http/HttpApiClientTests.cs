using Berth.Client.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.Client.Tests.Http;

/// <summary>HttpApiClient's verbs and errors against the real API server. Run against both transports (<see cref="HttpApiClientTestsOverHttps"/>,
/// <see cref="HttpApiClientTestsInProcess"/>): one contract, two implementations.</summary>
public abstract class HttpApiClientTests(ApiServerFixture server, IApiClient client)
{
    private readonly IApiClient _client = client;

    [Fact]
    public async Task CreateAsync_NewConfigMap_ReturnsStoredObject()
    {
        var ns = await server.NewNamespaceAsync();

        var created = await _client.CreateAsync(Objects.ConfigMap(ns, "a"), CancellationToken.None);
        var read = await _client.GetAsync<V1ConfigMap>(ns, "a", CancellationToken.None);

        Assert.False(string.IsNullOrEmpty(created.Metadata.ResourceVersion));
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal("ConfigMap", created.Kind);
        Assert.NotNull(read);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal("1", read.Data["value"]);
    }

    [Fact]
    public async Task CreateTokenAsync_BoundToAPod_TokenAndExpiry()
    {
        var ns = await server.NewNamespaceAsync();
        var pod = await _client.CreateAsync(
            new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = ns }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "agnhost" }] } },
            CancellationToken.None);
        var request = new Authenticationv1TokenRequest
        {
            Spec = new V1TokenRequestSpec
            {
                ExpirationSeconds = 3607,
                BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = "p", Uid = pod.Metadata.Uid },
            },
        };

        var issued = await _client.CreateTokenAsync(ns, "default", request, CancellationToken.None);
        var missing = await Assert.ThrowsAsync<ApiException>(() => _client.CreateTokenAsync(ns, "nobody", new Authenticationv1TokenRequest(), CancellationToken.None));

        Assert.Equal(3, issued.Status.Token.Split('.').Length);
        Assert.Equal(TimeSpan.FromSeconds(3607), issued.Status.ExpirationTimestamp!.Value - issued.Metadata.CreationTimestamp!.Value);
        Assert.True(missing.IsNotFound);
    }

    [Fact]
    public async Task GetAsync_Missing_ReturnsNull()
    {
        var ns = await server.NewNamespaceAsync();

        var read = await _client.GetAsync<V1ConfigMap>(ns, "nope", CancellationToken.None);

        Assert.Null(read);
    }

    [Fact]
    public async Task CreateAsync_NameTaken_ThrowsAlreadyExists()
    {
        var ns = await server.NewNamespaceAsync();
        await _client.CreateAsync(Objects.ConfigMap(ns, "a"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ApiException>(() => _client.CreateAsync(Objects.ConfigMap(ns, "a"), CancellationToken.None));

        Assert.True(error.IsAlreadyExists);
        Assert.False(error.IsConflict);
        Assert.Equal(409, error.Code);
        Assert.Equal("AlreadyExists", error.Reason);
    }

    [Fact]
    public async Task UpdateAsync_CurrentResourceVersion_StoresChange()
    {
        var ns = await server.NewNamespaceAsync();
        var created = await _client.CreateAsync(Objects.ConfigMap(ns, "a"), CancellationToken.None);

        created.Data["value"] = "2";
        var updated = await _client.UpdateAsync(created, CancellationToken.None);

        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
        Assert.Equal("2", (await _client.GetAsync<V1ConfigMap>(ns, "a", CancellationToken.None))!.Data["value"]);
    }

    [Fact]
    public async Task UpdateAsync_StaleResourceVersion_ThrowsConflictException()
    {
        var ns = await server.NewNamespaceAsync();
        var created = await _client.CreateAsync(Objects.ConfigMap(ns, "a"), CancellationToken.None);
        var stale = ObjectCopy.Clone(created);
        created.Data["value"] = "2";
        await _client.UpdateAsync(created, CancellationToken.None);

        stale.Data["value"] = "3";
        var error = await Assert.ThrowsAsync<ConflictException>(() => _client.UpdateAsync(stale, CancellationToken.None));

        Assert.True(error.IsConflict);
        Assert.Equal("Conflict", error.Reason);
    }

    [Fact]
    public async Task UpdateAsync_Missing_ThrowsNotFound()
    {
        var ns = await server.NewNamespaceAsync();

        var error = await Assert.ThrowsAsync<ApiException>(() => _client.UpdateAsync(Objects.ConfigMap(ns, "ghost"), CancellationToken.None));

        Assert.True(error.IsNotFound);
        Assert.Equal("NotFound", error.Reason);
    }

    [Fact]
    public async Task UpdateStatusAsync_Service_ChangesOnlyStatus()
    {
        var ns = await server.NewNamespaceAsync();
        var service = await _client.CreateAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = ns },
                Spec = new V1ServiceSpec { Type = "LoadBalancer", Ports = [new V1ServicePort { Port = 80 }], Selector = new Dictionary<string, string> { ["app"] = "web" } },
            },
            CancellationToken.None);

        service.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "127.200.0.9" }] } };
        service.Spec.Selector["app"] = "ignored";
        var updated = await _client.UpdateStatusAsync(service, CancellationToken.None);

        Assert.Equal("127.200.0.9", updated.Status.LoadBalancer.Ingress[0].Ip);
        Assert.Equal("web", updated.Spec.Selector["app"]);
    }

    [Fact]
    public async Task PatchAsync_MergePatch_AppliesChange()
    {
        var ns = await server.NewNamespaceAsync();
        await _client.CreateAsync(Objects.ConfigMap(ns, "a"), CancellationToken.None);

        var patched = await _client.PatchAsync<V1ConfigMap>(ns, "a", V1Patch.PatchType.MergePatch, """{"data":{"extra":"x"}}""", CancellationToken.None);

        Assert.Equal("x", patched.Data["extra"]);
        Assert.Equal("1", patched.Data["value"]);
    }

    [Fact]
    public async Task PatchAsync_JsonPatch_AppliesChange()
    {
        var ns = await server.NewNamespaceAsync();
        await _client.CreateAsync(Objects.ConfigMap(ns, "a"), CancellationToken.None);

        var patched = await _client.PatchAsync<V1ConfigMap>(ns, "a", V1Patch.PatchType.JsonPatch, """[{"op":"replace","path":"/data/value","value":"9"}]""", CancellationToken.None);

        Assert.Equal("9", patched.Data["value"]);
    }

    [Fact]
    public async Task DeleteAsync_Existing_ObjectGone()
    {
        var ns = await server.NewNamespaceAsync();
        await _client.CreateAsync(Objects.ConfigMap(ns, "a"), CancellationToken.None);

        await _client.DeleteAsync<V1ConfigMap>(ns, "a", new V1DeleteOptions { PropagationPolicy = "Background" }, CancellationToken.None);

        Assert.Null(await _client.GetAsync<V1ConfigMap>(ns, "a", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_Missing_ThrowsNotFound()
    {
        var ns = await server.NewNamespaceAsync();

        var error = await Assert.ThrowsAsync<ApiException>(() => _client.DeleteAsync<V1ConfigMap>(ns, "nope", null, CancellationToken.None));

        Assert.True(error.IsNotFound);
        Assert.Equal(404, error.Code);
    }

    [Fact]
    public async Task ListAsync_LabelSelector_ReturnsMatchingOnly()
    {
        var ns = await server.NewNamespaceAsync();
        await _client.CreateAsync(Objects.ConfigMap(ns, "a", labels: new Dictionary<string, string> { ["tier"] = "web" }), CancellationToken.None);
        await _client.CreateAsync(Objects.ConfigMap(ns, "b", labels: new Dictionary<string, string> { ["tier"] = "db" }), CancellationToken.None);

        var list = await _client.ListAsync<V1ConfigMap>(ns, new ListQuery { LabelSelector = "tier=web" }, CancellationToken.None);

        Assert.Equal(["a"], list.Items.Select(i => i.Metadata.Name));
        Assert.False(string.IsNullOrEmpty(list.ResourceVersion));
        Assert.All(list.Items, i => Assert.Equal("ConfigMap", i.Kind));
    }

    [Fact]
    public async Task ListAsync_ClusterScoped_ListsNamespaces()
    {
        var ns = await server.NewNamespaceAsync();

        var list = await _client.ListAsync<V1Namespace>(null, null, CancellationToken.None);

        Assert.Contains(list.Items, n => n.Metadata.Name == "default");
        Assert.Contains(list.Items, n => n.Metadata.Name == ns);
    }

    [Fact]
    public async Task ListAsync_AllNamespaces_IncludesEveryNamespace()
    {
        var ns1 = await server.NewNamespaceAsync();
        var ns2 = await server.NewNamespaceAsync();
        await _client.CreateAsync(Objects.ConfigMap(ns1, "a"), CancellationToken.None);
        await _client.CreateAsync(Objects.ConfigMap(ns2, "a"), CancellationToken.None);

        var list = await _client.ListAsync<V1ConfigMap>(null, null, CancellationToken.None);

        Assert.Contains(list.Items, i => i.Metadata.NamespaceProperty == ns1);
        Assert.Contains(list.Items, i => i.Metadata.NamespaceProperty == ns2);
    }

    [Fact]
    public async Task WatchAsync_FromListVersion_SeesChangesInOrder()
    {
        var ns = await server.NewNamespaceAsync();
        var list = await _client.ListAsync<V1ConfigMap>(ns, null, CancellationToken.None);
        var created = await _client.CreateAsync(Objects.ConfigMap(ns, "a"), CancellationToken.None);
        created.Data["value"] = "2";
        await _client.UpdateAsync(created, CancellationToken.None);
        await _client.DeleteAsync<V1ConfigMap>(ns, "a", null, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        var seen = new List<string>();
        await foreach (var ev in _client.WatchAsync<V1ConfigMap>(ns, list.ResourceVersion, new WatchQuery { AllowBookmarks = false }, timeout.Token))
        {
            seen.Add(ev.Type + " " + ev.Object.Metadata.Name);
            if (ev.Type == WatchEventType.Deleted)
            {
                break;
            }
        }

        Assert.Equal(["Added a", "Modified a", "Deleted a"], seen);
    }

    [Fact]
    public async Task WatchAsync_TimeoutSeconds_StreamEndsWithBookmarks()
    {
        var ns = await server.NewNamespaceAsync();
        var list = await _client.ListAsync<V1ConfigMap>(ns, null, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        var seen = new List<WatchEvent<V1ConfigMap>>();
        await foreach (var ev in _client.WatchAsync<V1ConfigMap>(ns, list.ResourceVersion, new WatchQuery { Timeout = TimeSpan.FromSeconds(2) }, timeout.Token))
        {
            seen.Add(ev);
        }

        Assert.False(timeout.IsCancellationRequested);
        Assert.NotEmpty(seen);
        Assert.All(seen, ev => Assert.Equal(WatchEventType.Bookmark, ev.Type));
        Assert.All(seen, ev => Assert.False(string.IsNullOrEmpty(ev.Object.Metadata.ResourceVersion)));
    }

    [Fact]
    public async Task WatchAsync_FieldSelector_SeesMatchingOnly()
    {
        var ns = await server.NewNamespaceAsync();
        var list = await _client.ListAsync<V1ConfigMap>(ns, null, CancellationToken.None);
        await _client.CreateAsync(Objects.ConfigMap(ns, "skip"), CancellationToken.None);
        await _client.CreateAsync(Objects.ConfigMap(ns, "want"), CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        WatchEvent<V1ConfigMap>? first = null;
        var query = new WatchQuery { FieldSelector = "metadata.name=want", AllowBookmarks = false };
        await foreach (var ev in _client.WatchAsync<V1ConfigMap>(ns, list.ResourceVersion, query, timeout.Token))
        {
            first = ev;
            break;
        }

        Assert.Equal("want", first?.Object.Metadata.Name);
    }
}

public sealed class HttpApiClientTestsOverHttps(ApiServerFixture server) : HttpApiClientTests(server, server.Client), IClassFixture<ApiServerFixture>;

public sealed class HttpApiClientTestsInProcess(ApiServerFixture server) : HttpApiClientTests(server, server.InProcessClient), IClassFixture<ApiServerFixture>;
