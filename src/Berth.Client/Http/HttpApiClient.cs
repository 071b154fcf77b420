using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Resources;
using k8s;
using k8s.Models;

namespace Berth.Client.Http;

/// <summary>
/// <see cref="IApiClient"/> over HTTPS with KubernetesClient's configured transport: its <see cref="HttpClient"/>
/// (TLS trust, client certificates, HTTP/2), <see cref="Kubernetes.BaseUri"/> and <see cref="Kubernetes.Credentials"/>
/// (bearer tokens). Requests are built here rather than through the generated per-kind methods so that one generic
/// code path serves every resource of the registry, with full control of watch parameters and error mapping.
/// Every call has a deadline (<see cref="HttpApiClientOptions"/>) on either transport; one that passes throws
/// <see cref="ApiTimeoutException"/>.
/// </summary>
public sealed partial class HttpApiClient : IApiClient, IDisposable
{
    /// <summary>The field manager sent with apply patches.</summary>
    public const string FieldManager = "berth";

    private static readonly MediaTypeHeaderValue _jsonMedia = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

    private readonly Kubernetes _kubernetes;
    private readonly bool _ownsKubernetes;
    private readonly ResourceTypes _types;
    private readonly HttpApiClientOptions _options;

    /// <summary>
    /// Uses <paramref name="kubernetes"/>'s transport; the caller keeps ownership of it. Prefer <see cref="FromConfig"/>,
    /// which also sets up HTTP/2 keep-alive pings on the connection.
    /// </summary>
    public HttpApiClient(Kubernetes kubernetes, ResourceRegistry? registry = null, HttpApiClientOptions? options = null)
        : this(kubernetes, registry, options, ownsKubernetes: false)
    {
    }

    private HttpApiClient(Kubernetes kubernetes, ResourceRegistry? registry, HttpApiClientOptions? options, bool ownsKubernetes)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        options ??= new HttpApiClientOptions();
        options.Validate();
        _kubernetes = kubernetes;
        _ownsKubernetes = ownsKubernetes;
        _options = options;
        _types = new ResourceTypes(registry ?? ResourceRegistry.Default);
    }

    /// <summary>A client for the current context of a kubeconfig file; disposing it disposes the transport.</summary>
    public static HttpApiClient FromKubeconfig(string kubeconfigPath, ResourceRegistry? registry = null, HttpApiClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kubeconfigPath);
        return FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath), registry, options);
    }

    /// <summary>
    /// A client over HTTPS as <paramref name="config"/> describes (server, CA, token or client certificate), whose
    /// connections send HTTP/2 keep-alive pings (<see cref="HttpApiClientOptions.KeepAlivePingDelay"/>); disposing it
    /// disposes the transport.
    /// </summary>
    public static HttpApiClient FromConfig(KubernetesClientConfiguration config, ResourceRegistry? registry = null, HttpApiClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= new HttpApiClientOptions();
        var setup = config.FirstMessageHandlerSetup;
        config.FirstMessageHandlerSetup = handler =>
        {
            setup?.Invoke(handler);
            if (handler is SocketsHttpHandler sockets)
            {
                sockets.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always;
                sockets.KeepAlivePingDelay = options.KeepAlivePingDelay;
                sockets.KeepAlivePingTimeout = options.KeepAlivePingTimeout;
            }
        };
        return new HttpApiClient(new Kubernetes(config), registry, options, ownsKubernetes: true);
    }

    /// <summary>
    /// A client whose requests go to <paramref name="handler"/> instead of a socket: the API server's in-process
    /// transport (<c>ApiServerHost.CreateInProcessHandlerAsync</c>). Everything else — paths, headers, the bearer
    /// token, watch streaming, error mapping — is this class's, so both transports keep one semantics.
    /// </summary>
    /// <remarks>
    /// <paramref name="bearerToken"/> may be null when the handler authenticates its requests itself (a handler made for
    /// one user, such as a node's).
    /// </remarks>
    public static HttpApiClient InProcess(HttpMessageHandler handler, string? bearerToken, ResourceRegistry? registry = null, HttpApiClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var config = new KubernetesClientConfiguration { Host = InProcessHandler.BaseAddress, AccessToken = string.IsNullOrEmpty(bearerToken) ? null : bearerToken };
        return new HttpApiClient(new Kubernetes(config, new InProcessHandler(handler)), registry, options, ownsKubernetes: true);
    }

    public async Task<ResourceList<T>> ListAsync<T>(string? ns, ListQuery? query, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var resource = _types.For<T>();
        var path = ResourcePaths.WithQuery(
            ResourcePaths.For(resource, ns),
            [("labelSelector", query?.LabelSelector), ("fieldSelector", query?.FieldSelector)]);
        var list = await CallAsync(HttpMethod.Get, path, null, _options.ListTimeout, ReadAsync<KubernetesList<T>>, cancellationToken).ConfigureAwait(false);
        var items = list.Items ?? [];
        foreach (var item in items)
        {
            // A list's items may come without apiVersion/kind (the real API server leaves them out); fill them once here.
            item.ApiVersion ??= resource.ApiVersion;
            item.Kind ??= resource.Kind;
        }

        return new ResourceList<T>(items.ToList(), list.Metadata?.ResourceVersion ?? string.Empty);
    }

    public async Task<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var resource = _types.For<T>();
        try
        {
            return await CallAsync(HttpMethod.Get, ResourcePaths.For(resource, ns, name), null, _options.RequestTimeout, ReadAsync<T>, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var resource = _types.For<T>();
        var path = ResourcePaths.For(resource, obj.Metadata?.NamespaceProperty);
        return await CallAsync(HttpMethod.Post, path, Body(resource, obj), _options.RequestTimeout, ReadAsync<T>, cancellationToken).ConfigureAwait(false);
    }

    public Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => PutAsync(obj, null, cancellationToken);

    public Task<T> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => PutAsync(obj, "status", cancellationToken);

    public async Task<T> PatchAsync<T>(string? ns, string name, V1Patch.PatchType patchType, string body, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(body);
        var resource = _types.For<T>();
        var mediaType = patchType switch
        {
            V1Patch.PatchType.JsonPatch => "application/json-patch+json",
            V1Patch.PatchType.MergePatch => "application/merge-patch+json",
            V1Patch.PatchType.StrategicMergePatch => "application/strategic-merge-patch+json",
            V1Patch.PatchType.ApplyPatch => "application/apply-patch+yaml",
            _ => throw new ArgumentOutOfRangeException(nameof(patchType), patchType, "unknown patch type"),
        };
        var path = ResourcePaths.For(resource, ns, name);
        if (patchType == V1Patch.PatchType.ApplyPatch)
        {
            path = ResourcePaths.WithQuery(path, [("fieldManager", FieldManager)]);
        }

        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType + "; charset=utf-8");
        return await CallAsync(HttpMethod.Patch, path, content, _options.RequestTimeout, ReadAsync<T>, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync<T>(string? ns, string name, V1DeleteOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var resource = _types.For<T>();
        HttpContent? content = null;
        if (options is not null)
        {
            content = new StringContent(KubernetesJson.Serialize(options), Encoding.UTF8);
            content.Headers.ContentType = _jsonMedia;
        }

        await CallAsync(HttpMethod.Delete, ResourcePaths.For(resource, ns, name), content, _options.RequestTimeout, NoBody, cancellationToken).ConfigureAwait(false);
    }

    public async Task BindAsync(string ns, string pod, string node, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(pod);
        ArgumentException.ThrowIfNullOrEmpty(node);
        var binding = new V1Binding
        {
            ApiVersion = "v1",
            Kind = "Binding",
            Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = ns },
            Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node },
        };
        var content = new StringContent(KubernetesJson.Serialize(binding), Encoding.UTF8) { Headers = { ContentType = _jsonMedia } };
        var path = ResourcePaths.For(_types.For<V1Pod>(), ns, pod, "binding");
        await CallAsync(HttpMethod.Post, path, content, _options.RequestTimeout, NoBody, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Authenticationv1TokenRequest> CreateTokenAsync(string ns, string serviceAccount, Authenticationv1TokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(serviceAccount);
        ArgumentNullException.ThrowIfNull(request);
        request.ApiVersion ??= "authentication.k8s.io/v1";
        request.Kind ??= "TokenRequest";
        var content = new StringContent(KubernetesJson.Serialize(request), Encoding.UTF8) { Headers = { ContentType = _jsonMedia } };
        var path = $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/serviceaccounts/{Uri.EscapeDataString(serviceAccount)}/token";
        return await CallAsync(HttpMethod.Post, path, content, _options.RequestTimeout, ReadAsync<Authenticationv1TokenRequest>, cancellationToken).ConfigureAwait(false);
    }

    public Task<V1Scale> GetScaleAsync(ResourceInfo resource, string ns, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return CallAsync(HttpMethod.Get, ResourcePaths.For(resource, ns, name, "scale"), null, _options.RequestTimeout, ReadAsync<V1Scale>, cancellationToken);
    }

    public Task<V1Scale> UpdateScaleAsync(ResourceInfo resource, V1Scale scale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(scale);
        scale.ApiVersion ??= "autoscaling/v1";
        scale.Kind ??= "Scale";
        var content = new StringContent(KubernetesJson.Serialize(scale), Encoding.UTF8) { Headers = { ContentType = _jsonMedia } };
        var path = ResourcePaths.For(resource, scale.Metadata?.NamespaceProperty, scale.Metadata?.Name ?? throw new ArgumentException("metadata.name is required", nameof(scale)), "scale");
        return CallAsync(HttpMethod.Put, path, content, _options.RequestTimeout, ReadAsync<V1Scale>, cancellationToken);
    }

    public async Task<T?> GetPathAsync<T>(string pathAndQuery, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentException.ThrowIfNullOrEmpty(pathAndQuery);
        try
        {
            return await CallAsync(HttpMethod.Get, pathAndQuery, null, _options.RequestTimeout, ReadAsync<T>, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (_ownsKubernetes)
        {
            _kubernetes.Dispose();
        }
    }

    private async Task<T> PutAsync<T>(T obj, string? subresource, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var resource = _types.For<T>();
        var name = obj.Metadata?.Name ?? throw new ArgumentException("metadata.name is required", nameof(obj));
        var path = ResourcePaths.For(resource, obj.Metadata.NamespaceProperty, name, subresource);
        return await CallAsync(HttpMethod.Put, path, Body(resource, obj), _options.RequestTimeout, ReadAsync<T>, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a request through KubernetesClient's pipeline; a non-2xx reply becomes an <see cref="ApiException"/>.
    /// The response is returned with its headers read and its body not yet consumed (watch streams it).
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_kubernetes.BaseUri, path.TrimStart('/')))
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (_kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var response = await _kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw ApiException.For(StatusOf(response.StatusCode, body));
        }
    }

    /// <summary>Decodes the body as it arrives (asynchronously, so that a deadline can end a body that stops coming).</summary>
    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, _json, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("the answer's body is null");
        }
    }

    private static Task<bool> NoBody(HttpResponseMessage response, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>The request body, with apiVersion and kind filled in when the caller left them empty (the models never do it).</summary>
    private static StringContent Body<T>(ResourceInfo resource, T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var json = KubernetesJson.Serialize(obj);
        if (string.IsNullOrEmpty(obj.ApiVersion) || string.IsNullOrEmpty(obj.Kind))
        {
            var node = JsonNode.Parse(json)!.AsObject();
            node["apiVersion"] = resource.ApiVersion;
            node["kind"] = resource.Kind;
            json = node.ToJsonString();
        }

        return new StringContent(json, Encoding.UTF8) { Headers = { ContentType = _jsonMedia } };
    }

    /// <summary>The Status in an error reply, or one made from the HTTP status when the body is something else.</summary>
    internal static V1Status StatusOf(HttpStatusCode code, string body)
    {
        if (body.TrimStart().StartsWith('{'))
        {
            try
            {
                var status = KubernetesJson.Deserialize<V1Status>(body);
                if (status.Kind == "Status")
                {
                    status.Code ??= (int)code;
                    return status;
                }
            }
            catch (JsonException)
            {
                // not a Status: fall through
            }
        }

        return ApiException.FromCode(code, string.IsNullOrWhiteSpace(body) ? code.ToString() : body.Trim());
    }
}
