namespace Berth.ApiServer.Security;

/// <summary>
/// What a service account token says (kubernetes <c>pkg/serviceaccount/claims.go</c>): whose it is, what it is bound
/// to, for which audiences, and when it is valid. <see cref="WarnAfter"/> is set on the extended tokens of projected
/// volumes (<c>warnafter</c>).
/// </summary>
public sealed record ServiceAccountClaims
{
    public required string Namespace { get; init; }

    public required BoundObject ServiceAccount { get; init; }

    public BoundObject? Pod { get; init; }

    public BoundObject? Secret { get; init; }

    public BoundObject? Node { get; init; }

    public required IReadOnlyList<string> Audiences { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required DateTimeOffset Expires { get; init; }

    public DateTimeOffset? WarnAfter { get; init; }

    /// <summary>The token's <c>jti</c>, shown as the user's <c>authentication.kubernetes.io/credential-id</c>.</summary>
    public required string Id { get; init; }
}
