using Berth.ApiServer.Security;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// kube-apiserver's authorizer chain (<c>--authorization-mode=Node,RBAC</c> after the privileged group; apiserver
/// <c>pkg/authorization/union</c>): the first allow or deny decides; when none has an opinion, their reasons are joined.
/// Also the union of their rule listings.
/// </summary>
internal sealed class UnionAuthorizer : IAuthorizer, IRuleResolver
{
    private readonly IReadOnlyList<IAuthorizer> _authorizers;

    public UnionAuthorizer(params IReadOnlyList<IAuthorizer> authorizers) => _authorizers = authorizers;

    public async ValueTask<AuthorizationResult> AuthorizeAsync(RequestAttributes attributes, CancellationToken cancellationToken)
    {
        List<string>? reasons = null;
        foreach (var authorizer in _authorizers)
        {
            var result = await authorizer.AuthorizeAsync(attributes, cancellationToken).ConfigureAwait(false);
            if (result.Decision != Decision.NoOpinion)
            {
                return result;
            }

            if (result.Reason.Length > 0)
            {
                (reasons ??= []).Add(result.Reason);
            }
        }

        return AuthorizationResult.NoOpinion(reasons is null ? "" : string.Join("\n", reasons));
    }

    public UserRules RulesFor(UserInfo user, string ns) =>
        _authorizers.OfType<IRuleResolver>().Aggregate(UserRules.Empty, (all, resolver) => all.Union(resolver.RulesFor(user, ns)));
}
