using Berth.Core.Resources;
using k8s;
using k8s.Models;

namespace Berth.Client;

/// <summary>
/// A typed client for every resource in <see cref="Berth.Core.Resources.ResourceRegistry"/>, keyed by the
/// KubernetesClient model type (<c>V1Pod</c>, <c>V1Service</c>, …). This is the whole surface controllers, the node
/// agent, the proxy and DNS need: list + watch to feed informers, and the write verbs.
/// </summary>
/// <remarks>
/// Two transports implement it: <see cref="Http.HttpApiClient"/> (KubernetesClient over HTTPS) and, next, an
/// in-process one that calls the API server's handlers without a socket. Both must keep the same semantics:
/// resourceVersion ordering, <see cref="ConflictException"/> on a stale PUT, <see cref="ResourceExpiredException"/> on a
/// compacted watch. A <c>null</c> namespace means cluster-scoped, or "all namespaces" for list and watch.
/// Failures other than a 404 on <see cref="GetAsync{T}"/> surface as <see cref="ApiException"/>.
/// </remarks>
public interface IApiClient
{
    /// <summary>Lists every matching object (all pages) and the resourceVersion to watch from.</summary>
    Task<ResourceList<T>> ListAsync<T>(string? ns, ListQuery? query, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Watches changes after <paramref name="resourceVersion"/> (empty or "0": the current state as ADDED first).
    /// The sequence ends when the server ends the stream (e.g. <see cref="WatchQuery.Timeout"/>); an ERROR 410 event
    /// throws <see cref="ResourceExpiredException"/>, any other ERROR event an <see cref="ApiException"/>.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns, string resourceVersion, WatchQuery? query, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>The object, or <c>null</c> when it does not exist.</summary>
    Task<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>POSTs <paramref name="obj"/> into its <c>metadata.namespace</c>; <c>apiVersion</c>/<c>kind</c> are filled in.</summary>
    Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>PUTs <paramref name="obj"/>; a stale <c>metadata.resourceVersion</c> throws <see cref="ConflictException"/>.</summary>
    Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>PUTs <paramref name="obj"/> to the <c>status</c> subresource, with the same conflict rule.</summary>
    Task<T> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// PATCHes the object with a JSON patch, merge patch, strategic merge patch or apply patch document
    /// (apply patches are sent with the client's field manager).
    /// </summary>
    Task<T> PatchAsync<T>(string? ns, string name, V1Patch.PatchType patchType, string body, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// POSTs a <see cref="V1Binding"/> to <c>pods/{pod}/binding</c>: the scheduler assigns the pod to
    /// <paramref name="node"/> (the server sets spec.nodeName and PodScheduled=True; an assigned pod is a Conflict).
    /// The default throws <see cref="NotSupportedException"/> so that test doubles need not implement it.
    /// </summary>
    Task BindAsync(string ns, string pod, string node, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this client cannot bind pods");

    /// <summary>
    /// POSTs <paramref name="request"/> to <c>serviceaccounts/{serviceAccount}/token</c> and returns the answered
    /// TokenRequest (<c>status.token</c>, <c>status.expirationTimestamp</c>). A node agent binds the token to its pod
    /// (<c>spec.boundObjectRef</c>: apiVersion v1, kind Pod, name and uid), as the Node authorizer requires.
    /// The default throws <see cref="NotSupportedException"/> so that test doubles need not implement it.
    /// </summary>
    Task<Authenticationv1TokenRequest> CreateTokenAsync(string ns, string serviceAccount, Authenticationv1TokenRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this client cannot request tokens");

    /// <summary>Deletes the object; 404 throws an <see cref="ApiException"/> with <see cref="ApiException.IsNotFound"/>.</summary>
    /// <summary>The <c>scale</c> subresource (autoscaling/v1 Scale) of <paramref name="resource"/>'s object.</summary>
    Task<V1Scale> GetScaleAsync(ResourceInfo resource, string ns, string name, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this client cannot read scale subresources");

    /// <summary>Writes <paramref name="scale"/> (its <c>spec.replicas</c>, with its resourceVersion as a precondition when set).</summary>
    Task<V1Scale> UpdateScaleAsync(ResourceInfo resource, V1Scale scale, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this client cannot write scale subresources");

    /// <summary>
    /// GET of a path the registry does not describe (an aggregated API such as <c>/apis/metrics.k8s.io/…</c>), decoded
    /// as <typeparamref name="T"/>; null on 404.
    /// </summary>
    Task<T?> GetPathAsync<T>(string pathAndQuery, CancellationToken cancellationToken)
        where T : class =>
        throw new NotSupportedException("this client cannot read arbitrary paths");

    Task DeleteAsync<T>(string? ns, string name, V1DeleteOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}
