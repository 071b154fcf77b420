namespace Berth.ApiServer.Authorization;

/// <summary>Decides whether a request may be served (apiserver <c>authorizer.Authorizer</c>).</summary>
internal interface IAuthorizer
{
    ValueTask<AuthorizationResult> AuthorizeAsync(RequestAttributes attributes, CancellationToken cancellationToken);
}
