namespace Berth.ApiServer.Authorization;

/// <summary>A decision and its reason (shown in a 403's message and in a SubjectAccessReview's status).</summary>
internal readonly record struct AuthorizationResult(Decision Decision, string Reason)
{
    public static AuthorizationResult Allowed(string reason = "") => new(Decision.Allow, reason);

    public static AuthorizationResult NoOpinion(string reason = "") => new(Decision.NoOpinion, reason);

    public bool IsAllowed => Decision == Decision.Allow;
}
