using Berth.ApiServer.Http;
using Berth.ApiServer.Security;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// <c>Impersonate-User</c>, <c>Impersonate-Group</c>, <c>Impersonate-Uid</c> and <c>Impersonate-Extra-*</c> (what
/// <c>kubectl --as</c> and <c>--as-group</c> send), as apiserver's <c>WithImpersonation</c> filter: the authenticated
/// user must be allowed the <c>impersonate</c> verb on each (users, groups, serviceaccounts, authentication.k8s.io
/// uids and userextras); then the request goes on as the impersonated user, in <c>system:authenticated</c>.
/// </summary>
internal sealed partial class ImpersonationMiddleware
{
    private const string UserHeader = "Impersonate-User";
    private const string GroupHeader = "Impersonate-Group";
    private const string UidHeader = "Impersonate-Uid";
    private const string ExtraHeaderPrefix = "Impersonate-Extra-";

    private readonly RequestDelegate _next;
    private readonly IAuthorizer _authorizer;
    private readonly ILogger _logger;

    public ImpersonationMiddleware(RequestDelegate next, IAuthorizer authorizer, ILoggerFactory loggers)
    {
        _next = next;
        _authorizer = authorizer;
        _logger = loggers.CreateLogger("Berth.ApiServer.Authorization");
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var requestedUser = headers[UserHeader].ToString();
        var groups = headers[GroupHeader].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        var uid = headers[UidHeader].ToString();
        var extra = headers.Where(h => h.Key.StartsWith(ExtraHeaderPrefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => Uri.UnescapeDataString(h.Key[ExtraHeaderPrefix.Length..].ToLowerInvariant()), h => (IReadOnlyList<string>)[.. h.Value.Select(v => v ?? "")]);
        if (requestedUser.Length == 0 && groups.Count == 0 && uid.Length == 0 && extra.Count == 0)
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<UserInfo>() is not { } requestor)
        {
            await Responses.WriteErrorAsync(context, StatusErrors.Unauthorized()).ConfigureAwait(false);
            return;
        }

        if (requestedUser.Length == 0)
        {
            await Responses.WriteErrorAsync(context, StatusErrors.Internal("requested impersonation of groups, a uid or extra values without impersonating a user")).ConfigureAwait(false);
            return;
        }

        var checks = new List<RequestAttributes>();
        var serviceAccount = UserInfo.SplitServiceAccount(requestedUser);
        checks.Add(serviceAccount is { } sa
            ? Impersonate(requestor, "", "serviceaccounts", "", sa.Name, sa.Namespace)
            : Impersonate(requestor, "", "users", "", requestedUser));
        checks.AddRange(groups.Select(g => Impersonate(requestor, "", "groups", "", g)));
        checks.AddRange(extra.SelectMany(e => e.Value.Select(v => Impersonate(requestor, "authentication.k8s.io", "userextras", e.Key, v))));
        if (uid.Length > 0)
        {
            checks.Add(Impersonate(requestor, "authentication.k8s.io", "uids", "", uid));
        }

        foreach (var check in checks)
        {
            var result = await _authorizer.AuthorizeAsync(check, context.RequestAborted).ConfigureAwait(false);
            if (!result.IsAllowed)
            {
                await Responses.WriteErrorAsync(context, Forbidden.For(check, result.Reason)).ConfigureAwait(false);
                return;
            }
        }

        if (groups.Count == 0 && serviceAccount is { } account)
        {
            groups.AddRange(UserInfo.ServiceAccountGroups(account.Namespace));
        }

        if (!groups.Contains(UserInfo.AllAuthenticated) && !groups.Contains("system:unauthenticated"))
        {
            groups.Add(UserInfo.AllAuthenticated);
        }

        var impersonated = new UserInfo(requestedUser, groups) { Uid = uid, Extra = extra };
        Log.Impersonating(_logger, requestor.Name, impersonated.Name, string.Join(",", groups));
        context.Features.Set(impersonated);
        await _next(context).ConfigureAwait(false);
    }

    private static RequestAttributes Impersonate(UserInfo requestor, string group, string resource, string subresource, string name, string ns = "") => new()
    {
        User = requestor,
        Verb = "impersonate",
        IsResourceRequest = true,
        ApiGroup = group,
        ApiVersion = "v1",
        Resource = resource,
        Subresource = subresource,
        Name = name,
        Namespace = ns,
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 1401, Level = LogLevel.Debug, Message = "{User} is impersonating {Impersonated} (groups {Groups})")]
        public static partial void Impersonating(ILogger logger, string user, string impersonated, string groups);
    }
}
