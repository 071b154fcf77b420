using Berth.Client;
using k8s;
using k8s.Models;

namespace Berth.Controllers.Tests.ReplicaSets;

/// <summary>
/// The real client, except that every pod create is refused with 403 Forbidden, as a quota or admission plugin would
/// refuse it (Berth serves neither yet); every other call, events included, reaches the real server.
/// </summary>
internal sealed class PodCreateRejectingClient : IApiClient
{
    public const string Refusal = "pods \"web-\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=0, limited: pods=0";

    private readonly IApiClient _inner;

    public PodCreateRejectingClient(IApiClient inner) => _inner = inner;

    public Task<ResourceList<T>> ListAsync<T>(string? ns, ListQuery? query, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _inner.ListAsync<T>(ns, query, cancellationToken);

    public IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns, string resourceVersion, WatchQuery? query, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _inner.WatchAsync<T>(ns, resourceVersion, query, cancellationToken);

    public Task<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _inner.GetAsync<T>(ns, name, cancellationToken);

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        obj is V1Pod
            ? throw new ApiException(ApiException.FromCode(System.Net.HttpStatusCode.Forbidden, Refusal))
            : _inner.CreateAsync(obj, cancellationToken);

    public Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _inner.UpdateAsync(obj, cancellationToken);

    public Task<T> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _inner.UpdateStatusAsync(obj, cancellationToken);

    public Task<T> PatchAsync<T>(string? ns, string name, V1Patch.PatchType patchType, string body, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _inner.PatchAsync<T>(ns, name, patchType, body, cancellationToken);

    public Task BindAsync(string ns, string pod, string node, CancellationToken cancellationToken) => _inner.BindAsync(ns, pod, node, cancellationToken);

    public Task DeleteAsync<T>(string? ns, string name, V1DeleteOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _inner.DeleteAsync<T>(ns, name, options, cancellationToken);
}
