using k8s.Models;

namespace Berth.Node.Volumes;

/// <summary>The token source until the API server serves TokenRequest (<c>serviceaccounts/&lt;name&gt;/token</c>).</summary>
internal sealed class TokenRequestNotServed : IServiceAccountTokens
{
    public Task<TokenResult> RequestAsync(V1Pod pod, string serviceAccount, V1ServiceAccountTokenProjection projection, CancellationToken cancellationToken) =>
        Task.FromResult(TokenResult.Fail($"failed to fetch token: serviceaccounts \"{serviceAccount}\" token: this Berth does not serve TokenRequest"));
}
