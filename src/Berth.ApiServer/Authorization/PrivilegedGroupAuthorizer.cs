using Berth.ApiServer.Security;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// Allows everything to <c>system:masters</c> before any other authorizer looks (kube-apiserver's
/// <c>authorizerfactory.NewPrivilegedGroups</c>): the admin can never lock itself out by editing RBAC objects.
/// </summary>
internal sealed class PrivilegedGroupAuthorizer : IAuthorizer
{
    public ValueTask<AuthorizationResult> AuthorizeAsync(RequestAttributes attributes, CancellationToken cancellationToken) =>
        ValueTask.FromResult(attributes.User.Groups.Contains(UserInfo.SystemMasters) ? AuthorizationResult.Allowed() : AuthorizationResult.NoOpinion());
}
