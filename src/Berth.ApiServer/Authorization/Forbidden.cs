using Berth.Core.Errors;

namespace Berth.ApiServer.Authorization;

/// <summary>The 403 of a request the authorizers did not allow (apiserver <c>responsewriters.Forbidden</c>).</summary>
internal static class Forbidden
{
    /// <summary>
    /// <c>pods is forbidden: User "x" cannot list resource "pods" in API group "" in the namespace "default"</c>,
    /// followed by the authorizers' reason when they gave one.
    /// </summary>
    public static StatusException For(RequestAttributes attributes, string reason)
    {
        var message = Message(attributes).Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
        var why = reason.Length == 0 ? message : message + ": " + reason;
        return attributes.IsResourceRequest
            ? StatusErrors.Forbidden(attributes.ApiGroup, attributes.Resource, attributes.Name, why)
            : StatusErrors.Forbidden("", "", "", why);
    }

    /// <summary><c>forbiddenMessage</c> of apiserver's responsewriters/errors.go.</summary>
    private static string Message(RequestAttributes a)
    {
        var user = PolicyRules.GoQuote(a.User.Name);
        if (!a.IsResourceRequest)
        {
            return $"User {user} cannot {a.Verb} path {PolicyRules.GoQuote(a.Path)}";
        }

        var resource = PolicyRules.GoQuote(a.CombinedResource);
        var group = PolicyRules.GoQuote(a.ApiGroup);
        return a.Namespace.Length > 0
            ? $"User {user} cannot {a.Verb} resource {resource} in API group {group} in the namespace {PolicyRules.GoQuote(a.Namespace)}"
            : $"User {user} cannot {a.Verb} resource {resource} in API group {group} at the cluster scope";
    }
}
