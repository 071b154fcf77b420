using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;

namespace Berth.Client.Tests.Infrastructure;

/// <summary>Passes every call through to a real client and counts lists, watches and expired watches.</summary>
internal sealed class CountingApiClient(IApiClient inner) : IApiClient
{
    private int _lists;
    private int _watches;
    private int _expired;

    public int Lists => Volatile.Read(ref _lists);

    public int Watches => Volatile.Read(ref _watches);

    public int Expired => Volatile.Read(ref _expired);

    public Task<ResourceList<T>> ListAsync<T>(string? ns, ListQuery? query, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Interlocked.Increment(ref _lists);
        return inner.ListAsync<T>(ns, query, cancellationToken);
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns, string resourceVersion, WatchQuery? query, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Interlocked.Increment(ref _watches);
        await using var events = inner.WatchAsync<T>(ns, resourceVersion, query, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await events.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (ResourceExpiredException)
            {
                Interlocked.Increment(ref _expired);
                throw;
            }

            yield return events.Current;
        }
    }

    public Task<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.GetAsync<T>(ns, name, cancellationToken);

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.CreateAsync(obj, cancellationToken);

    public Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.UpdateAsync(obj, cancellationToken);

    public Task<T> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.UpdateStatusAsync(obj, cancellationToken);

    public Task<T> PatchAsync<T>(string? ns, string name, V1Patch.PatchType patchType, string body, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.PatchAsync<T>(ns, name, patchType, body, cancellationToken);

    public Task DeleteAsync<T>(string? ns, string name, V1DeleteOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.DeleteAsync<T>(ns, name, options, cancellationToken);
}
