using Berth.Client;
using k8s.Models;

namespace Berth.Node.Volumes;

/// <summary>
/// Service-account tokens from the API server's TokenRequest, bound to the pod (name and UID) as the kubelet's token
/// manager asks for them (pkg/kubelet/token/token_manager.go): the projection's audience (none: the API server's own)
/// and <c>expirationSeconds</c> (default 3600). A token is asked for again as the kubelet's <c>requiresRefresh</c> says:
/// when 80 % of its lifetime has passed, or 24 hours after it was issued (a token the API server extended).
/// </summary>
internal sealed class TokenRequests(IApiClient client, TimeProvider time) : IServiceAccountTokens
{
    private static readonly TimeSpan _maxTtl = TimeSpan.FromHours(24);

    public async Task<TokenResult> RequestAsync(V1Pod pod, string serviceAccount, V1ServiceAccountTokenProjection projection, CancellationToken cancellationToken)
    {
        var request = new Authenticationv1TokenRequest
        {
            Spec = new V1TokenRequestSpec
            {
                Audiences = projection.Audience is { Length: > 0 } audience ? [audience] : [],
                ExpirationSeconds = projection.ExpirationSeconds ?? 3600,
                BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
            },
        };
        try
        {
            var answer = await client.CreateTokenAsync(pod.Metadata.NamespaceProperty ?? "default", serviceAccount, request, cancellationToken).ConfigureAwait(false);
            if (answer.Status?.Token is not { Length: > 0 } token)
            {
                return TokenResult.Fail($"failed to fetch token: the TokenRequest for service account \"{serviceAccount}\" came back without a token");
            }

            var lifetime = TimeSpan.FromSeconds(answer.Spec?.ExpirationSeconds ?? request.Spec.ExpirationSeconds.Value);
            var now = time.GetUtcNow();
            var expires = answer.Status.ExpirationTimestamp is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : now + lifetime;
            var issued = expires - lifetime;
            var refresh = expires - (lifetime * 0.2);
            return new TokenResult(token, refresh < issued + _maxTtl ? refresh : issued + _maxTtl, null);
        }
        catch (ApiException e)
        {
            // The kubelet's message: "failed to fetch token: serviceaccounts "x" not found".
            return TokenResult.Fail("failed to fetch token: " + e.Message);
        }
    }
}
