using Berth.Client;
using k8s;
using k8s.Models;

namespace Berth.Controllers.Tests.Common;

/// <summary>
/// The real client, except that just before the first status write of a ReplicaSet in its namespace (the controllers
/// see every namespace of the shared API server) it runs <c>before</c> — which
/// makes a real change on the server (delete or update the object, so the write meets a real 404 or 409) or throws as
/// a bug would. Every call still reaches the real server.
/// </summary>
internal sealed class FirstStatusWriteClient : IApiClient
{
    private readonly IApiClient _inner;
    private readonly string _namespace;
    private readonly Func<V1ReplicaSet, Task> _before;
    private int _fired;

    public FirstStatusWriteClient(IApiClient inner, string ns, Func<V1ReplicaSet, Task> before)
    {
        _inner = inner;
        _namespace = ns;
        _before = before;
    }

    /// <summary>Whether <c>before</c> has run.</summary>
    public bool Fired => Volatile.Read(ref _fired) == 1;

    public Task<ResourceList<T>> ListAsync<T>(string? ns, ListQuery? query, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _inner.ListAsync<T>(ns, query, cancellationToken);

    public IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns, string resourceVersion, WatchQuery? query, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _inner.WatchAsync<T>(ns, resourceVersion, query, cancellationToken);

    public Task<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _inner.GetAsync<T>(ns, name, cancellationToken);

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _inner.CreateAsync(obj, cancellationToken);

    public Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _inner.UpdateAsync(obj, cancellationToken);

    public async Task<T> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (obj is V1ReplicaSet rs && rs.Metadata.NamespaceProperty == _namespace && Interlocked.Exchange(ref _fired, 1) == 0)
        {
            await _before(rs);
        }

        return await _inner.UpdateStatusAsync(obj, cancellationToken);
    }

    public Task<T> PatchAsync<T>(string? ns, string name, V1Patch.PatchType patchType, string body, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _inner.PatchAsync<T>(ns, name, patchType, body, cancellationToken);

    public Task BindAsync(string ns, string pod, string node, CancellationToken cancellationToken) => _inner.BindAsync(ns, pod, node, cancellationToken);

    public Task DeleteAsync<T>(string? ns, string name, V1DeleteOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _inner.DeleteAsync<T>(ns, name, options, cancellationToken);
}
