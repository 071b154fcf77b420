using Berth.ApiServer.Http;
using Berth.ApiServer.Security;
using Berth.Core.Errors;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Rest;

internal sealed partial class RestHandler
{
    /// <summary>The expiry of the tokens of projected volumes (<c>token.WarnOnlyBoundTokenExpirationSeconds</c>).</summary>
    private const long WarnOnlyExpirationSeconds = 60 * 60 + 7;

    /// <summary>What those tokens really get (<c>token.ExpirationExtensionSeconds</c>, <c>--service-account-extend-token-expiration</c>).</summary>
    private const long ExtendedExpirationSeconds = 24 * 365 * 60 * 60;

    private const string TokenRequestGroup = "authentication.k8s.io";

    /// <summary>Issues service account tokens; null serves no <c>token</c> subresource.</summary>
    public ServiceAccountTokens? Tokens { get; init; }

    /// <summary>
    /// <c>POST serviceaccounts/&lt;name&gt;/token</c>: a TokenRequest answered with a signed token (kubernetes
    /// <c>pkg/registry/core/serviceaccount/storage/token.go</c>, <c>TokenREST.Create</c>), never stored. Defaults and
    /// validation as <c>SetDefaults_TokenRequestSpec</c> and <c>ValidateTokenRequest</c>; a bound Pod must run as this
    /// service account; a node may ask only for tokens bound to its own pods (NodeRestriction <c>admitServiceAccount</c>).
    /// </summary>
    private async Task CreateTokenAsync(HttpContext context, RequestInfo request, string method, CancellationToken ct)
    {
        if (method != "POST" || Tokens is null)
        {
            throw MethodNotAllowed(method, request);
        }

        var body = await ReadBodyAsync(context, request, ct).ConfigureAwait(false);
        Authenticationv1TokenRequest tokenRequest;
        try
        {
            tokenRequest = KubernetesJson.Deserialize<Authenticationv1TokenRequest>(body) ?? new Authenticationv1TokenRequest();
        }
        catch (System.Text.Json.JsonException e)
        {
            throw StatusErrors.BadRequest("TokenRequest cannot be decoded: " + e.Message);
        }

        var name = request.Name!;
        var ns = request.Namespace!;
        tokenRequest.Metadata ??= new V1ObjectMeta();
        tokenRequest.Spec ??= new V1TokenRequestSpec();
        tokenRequest.Spec.ExpirationSeconds ??= 3600;
        ValidateTokenRequest(tokenRequest, name, ns);

        var account = (V1ServiceAccount)(await GetExistingAsync(request with { Subresource = null }, ct).ConfigureAwait(false)).Object;
        if (tokenRequest.Spec.Audiences is not { Count: > 0 })
        {
            tokenRequest.Spec.Audiences = [.. Tokens.ApiAudiences];
        }

        tokenRequest.Metadata.Name = account.Metadata.Name;
        tokenRequest.Metadata.NamespaceProperty = ns;
        var now = _time.GetUtcNow();
        tokenRequest.Metadata.CreationTimestamp = now.UtcDateTime;

        var bound = await BindTokenAsync(request, tokenRequest.Spec.BoundObjectRef, name, ns, ct).ConfigureAwait(false);
        var requested = tokenRequest.Spec.ExpirationSeconds.Value;
        var expiration = requested;
        DateTimeOffset? warnAfter = null;
        if (bound.Pod is not null && requested == WarnOnlyExpirationSeconds && tokenRequest.Spec.Audiences.SequenceEqual(Tokens.ApiAudiences))
        {
            warnAfter = now.AddSeconds(requested);
            expiration = ExtendedExpirationSeconds;
        }

        var token = Tokens.Issue(new ServiceAccountClaims
        {
            Namespace = ns,
            ServiceAccount = new BoundObject(account.Metadata.Name, account.Metadata.Uid),
            Pod = bound.Pod,
            Secret = bound.Secret,
            Node = bound.Node,
            Audiences = [.. tokenRequest.Spec.Audiences],
            IssuedAt = now,
            Expires = now.AddSeconds(expiration),
            WarnAfter = warnAfter,
            Id = Guid.NewGuid().ToString(),
        });
        tokenRequest.ApiVersion = TokenRequestGroup + "/v1";
        tokenRequest.Kind = "TokenRequest";
        tokenRequest.Status = new V1TokenRequestStatus { Token = token, ExpirationTimestamp = now.AddSeconds(requested).UtcDateTime };
        await Responses.WriteObjectAsync(context, 201, tokenRequest, ct).ConfigureAwait(false);
    }

    private static void ValidateTokenRequest(Authenticationv1TokenRequest tokenRequest, string name, string ns)
    {
        var meta = tokenRequest.Metadata;
        if (!string.IsNullOrEmpty(meta.Name) && meta.Name != name)
        {
            throw StatusErrors.Invalid(TokenRequestGroup, "TokenRequest", name, [FieldError.Invalid(FieldPath.Root("metadata").Child("name"), meta.Name, "must match the service account name if specified")]);
        }

        if (!string.IsNullOrEmpty(meta.NamespaceProperty) && meta.NamespaceProperty != ns)
        {
            throw StatusErrors.Invalid(TokenRequestGroup, "TokenRequest", name, [FieldError.Invalid(FieldPath.Root("metadata").Child("namespace"), meta.NamespaceProperty, "must match the service account namespace if specified")]);
        }

        var seconds = tokenRequest.Spec.ExpirationSeconds!.Value;
        var path = FieldPath.Root("spec").Child("expirationSeconds");
        if (seconds < 600)
        {
            throw StatusErrors.Invalid(TokenRequestGroup, "TokenRequest", "", [FieldError.Invalid(path, seconds, "may not specify a duration less than 10 minutes")]);
        }

        if (seconds > uint.MaxValue)
        {
            throw StatusErrors.Invalid(TokenRequestGroup, "TokenRequest", "", [new FieldError(FieldErrorType.TooLong, path.ToString(), null, $"may not be more than {uint.MaxValue} bytes")]);
        }
    }

    /// <summary>The objects a token is bound to: the Pod (and its Node) or the Secret <paramref name="reference"/> names.</summary>
    private async Task<(BoundObject? Pod, BoundObject? Secret, BoundObject? Node)> BindTokenAsync(
        RequestInfo request,
        V1BoundObjectReference? reference,
        string account,
        string ns,
        CancellationToken ct)
    {
        var (isNode, nodeName) = request.User?.NodeIdentity() ?? (false, "");
        if (reference is null)
        {
            return isNode ? throw NodeTokenForbidden(account, "node requested token not bound to a pod") : (null, null, null);
        }

        var kind = reference.Kind ?? "";
        var apiVersion = reference.ApiVersion ?? "";
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        if (isNode && (reference.ApiVersion != "v1" || kind != "Pod" || string.IsNullOrEmpty(reference.Name)))
        {
            throw NodeTokenForbidden(account, "node requested token not bound to a pod");
        }

        if (isNode && string.IsNullOrEmpty(reference.Uid))
        {
            throw NodeTokenForbidden(account, "node requested token with a pod binding without a uid");
        }

        var plural = (group, kind) switch
        {
            ("", "Pod") => "pods",
            ("", "Secret") => "secrets",
            _ => throw StatusErrors.BadRequest($"cannot bind token to object of type {group}/{version}, Kind={kind}"),
        };
        var resource = _registry.Find("", plural)!;
        var stored = await _objects.GetAsync(resource, ns, reference.Name ?? "", ct).ConfigureAwait(false)
            ?? throw StatusErrors.NotFound("", plural, reference.Name ?? "");
        var target = stored.Object;
        if (!string.IsNullOrEmpty(reference.Uid) && reference.Uid != target.Metadata.Uid)
        {
            var why = $"the UID in the bound object reference ({reference.Uid}) does not match the UID in record. The object might have been deleted and then recreated";
            throw isNode ? NodeTokenForbidden(account, why) : StatusErrors.Conflict(group, kind, reference.Name!, why);
        }

        var self = new BoundObject(target.Metadata.Name, target.Metadata.Uid);
        if (target is not V1Pod pod)
        {
            return (null, self, null);
        }

        // A pod admitted without the ServiceAccount admission plugin names none: it runs as "default".
        if (pod.Spec?.ServiceAccountName is { Length: > 0 } podAccount ? podAccount != account : account != "default")
        {
            throw StatusErrors.BadRequest($"cannot bind token for serviceaccount \"{account}\" to pod running with different serviceaccount name.");
        }

        if (isNode && pod.Spec?.NodeName != nodeName)
        {
            throw NodeTokenForbidden(account, "node requested token bound to a pod scheduled on a different node");
        }

        BoundObject? node = null;
        if (pod.Spec?.NodeName is { Length: > 0 } podNode
            && await _objects.GetAsync(_registry.Find("", "nodes")!, null, podNode, ct).ConfigureAwait(false) is { } storedNode)
        {
            node = new BoundObject(podNode, storedNode.Object.Metadata.Uid);
        }

        return (self, null, node);
    }

    private static StatusException NodeTokenForbidden(string account, string why) => StatusErrors.Forbidden("", "serviceaccounts", account, why);
}
