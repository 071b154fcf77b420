using k8s.Models;

namespace Berth.Node.Volumes;

/// <summary>Asks the API server for a service-account token bound to a pod (TokenRequest).</summary>
internal interface IServiceAccountTokens
{
    Task<TokenResult> RequestAsync(V1Pod pod, string serviceAccount, V1ServiceAccountTokenProjection projection, CancellationToken cancellationToken);
}

/// <summary>A token and when to ask for a new one, or why there is none.</summary>
internal sealed record TokenResult(string? Token, DateTimeOffset RefreshAt, string? Error)
{
    public static TokenResult Fail(string error) => new(null, default, error);
}
