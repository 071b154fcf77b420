using Berth.ApiServer.Rest;
using Berth.Core.Resources;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Security;

/// <summary>
/// Authenticates a bearer service account token (kubernetes <c>pkg/serviceaccount/claims.go</c>, <c>validator.Validate</c>):
/// valid per <see cref="ServiceAccountTokens.Check"/>, and its service account — and the pod, secret or node it is bound
/// to — still exist with the uid the token names (an object deleted more than a minute ago counts as gone). The user is
/// <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c> in <c>system:serviceaccounts</c>,
/// <c>system:serviceaccounts:&lt;ns&gt;</c> and <c>system:authenticated</c>, with the service account's uid and
/// Kubernetes' extra values (pod name and uid, node name and uid, credential id).
/// </summary>
internal sealed class ServiceAccountAuthenticator
{
    private static readonly TimeSpan _deletedGrace = TimeSpan.FromMinutes(1);

    private readonly ServiceAccountTokens _tokens;
    private readonly ObjectStore _objects;
    private readonly ResourceRegistry _registry;
    private readonly TimeProvider _time;

    public ServiceAccountAuthenticator(ServiceAccountTokens tokens, ObjectStore objects, ResourceRegistry registry, TimeProvider time)
    {
        _tokens = tokens;
        _objects = objects;
        _registry = registry;
        _time = time;
    }

    /// <summary>The user of <paramref name="token"/>, or null when it is not a valid service account token.</summary>
    public async ValueTask<UserInfo?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var (claims, _) = _tokens.Check(token);
        if (claims is null)
        {
            return null;
        }

        var ns = claims.Namespace;
        if (!await CurrentAsync("serviceaccounts", ns, claims.ServiceAccount, strict: true, cancellationToken).ConfigureAwait(false)
            || !await CurrentAsync("pods", ns, claims.Pod, strict: false, cancellationToken).ConfigureAwait(false)
            || !await CurrentAsync("secrets", ns, claims.Secret, strict: false, cancellationToken).ConfigureAwait(false)
            || !await CurrentAsync("nodes", null, claims.Node, strict: false, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (claims.Pod is { } pod)
        {
            extra["authentication.kubernetes.io/pod-name"] = [pod.Name];
            extra["authentication.kubernetes.io/pod-uid"] = [pod.Uid];
        }

        if (claims.Node is { } node)
        {
            extra["authentication.kubernetes.io/node-name"] = [node.Name];
            extra["authentication.kubernetes.io/node-uid"] = [node.Uid];
        }

        if (claims.Id.Length > 0)
        {
            extra["authentication.kubernetes.io/credential-id"] = ["JTI=" + claims.Id];
        }

        var name = UserInfo.ServiceAccountUserName(ns, claims.ServiceAccount.Name);
        return new UserInfo(name, [.. UserInfo.ServiceAccountGroups(ns), UserInfo.AllAuthenticated]) { Uid = claims.ServiceAccount.Uid, Extra = extra };
    }

    /// <summary>
    /// Whether <paramref name="bound"/> (none: true) still exists with its uid. A service account being deleted is gone
    /// (<paramref name="strict"/>); a bound object only once its deletion is more than a minute old, as Kubernetes.
    /// </summary>
    private async ValueTask<bool> CurrentAsync(string plural, string? ns, BoundObject? bound, bool strict, CancellationToken ct)
    {
        if (bound is null)
        {
            return true;
        }

        var stored = await _objects.GetAsync(_registry.Find("", plural)!, ns, bound.Name, ct).ConfigureAwait(false);
        var meta = stored?.Object.Metadata;
        if (meta is null || meta.Uid != bound.Uid)
        {
            return false;
        }

        return meta.DeletionTimestamp is not { } deleted
            || (!strict && new DateTimeOffset(DateTime.SpecifyKind(deleted, DateTimeKind.Utc)) >= _time.GetUtcNow() - _deletedGrace);
    }
}
