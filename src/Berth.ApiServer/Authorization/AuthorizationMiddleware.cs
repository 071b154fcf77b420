using Berth.ApiServer.Http;
using Berth.ApiServer.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// Runs after authentication (and impersonation) on every request: the authorizer chain must allow the request's
/// <see cref="RequestAttributes"/>, else it is answered 403 Forbidden with Kubernetes' message. The attributes stay on
/// the context for the handlers. Requests to the open health and version paths without a credential pass unchecked.
/// </summary>
internal sealed partial class AuthorizationMiddleware
{
    private static readonly HashSet<string> _connectSubresources = ["exec", "attach", "portforward"];

    private readonly RequestDelegate _next;
    private readonly IAuthorizer _authorizer;
    private readonly ILogger _logger;

    public AuthorizationMiddleware(RequestDelegate next, IAuthorizer authorizer, ILoggerFactory loggers)
    {
        _next = next;
        _authorizer = authorizer;
        _logger = loggers.CreateLogger("Berth.ApiServer.Authorization");
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<UserInfo>() is not { } user)
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        var attributes = RequestAttributesParser.Parse(context.Request, user);
        var result = await _authorizer.AuthorizeAsync(attributes, context.RequestAborted).ConfigureAwait(false);
        if (result.IsAllowed && IsConnectByGet(attributes))
        {
            // An exec, attach or port-forward over a WebSocket is a GET, authorized as "get"; it must also be allowed
            // to "create" the connection, so that read-only roles cannot open a shell (kubernetes KEP-4006,
            // AuthorizePodWebsocketUpgradeCreatePermission).
            attributes = attributes with { Verb = "create" };
            result = await _authorizer.AuthorizeAsync(attributes, context.RequestAborted).ConfigureAwait(false);
        }

        if (!result.IsAllowed)
        {
            Log.Forbidden(_logger, user.Name, attributes.Verb, attributes.IsResourceRequest ? attributes.CombinedResource : attributes.Path, attributes.Namespace, result.Reason);
            await Responses.WriteErrorAsync(context, Forbidden.For(attributes, result.Reason)).ConfigureAwait(false);
            return;
        }

        context.Features.Set(attributes);
        await _next(context).ConfigureAwait(false);
    }

    private static bool IsConnectByGet(RequestAttributes a) =>
        a.IsResourceRequest && a.Verb == "get" && a.ApiGroup.Length == 0 && a.Resource == "pods" && _connectSubresources.Contains(a.Subresource);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1400, Level = LogLevel.Debug, Message = "Forbidden: user {User} may not {Verb} {Resource} in namespace \"{Namespace}\" ({Reason})")]
        public static partial void Forbidden(ILogger logger, string user, string verb, string resource, string @namespace, string reason);
    }
}
