using Berth.ApiServer.Http;
using Berth.ApiServer.Security;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// Turns a request into <see cref="RequestAttributes"/> the way apiserver's <c>RequestInfoFactory.NewRequestInfo</c>
/// (pkg/endpoints/request/requestinfo.go) does — from the <see cref="ApiPath"/>, method and query alone, before
/// routing, so a request for a resource that does not exist is refused (403) before it is looked up (404), as in
/// Kubernetes.
/// </summary>
internal static class RequestAttributesParser
{
    public static RequestAttributes Parse(HttpRequest request, UserInfo user)
    {
        var path = request.Path.Value ?? "/";
        var api = ApiPath.Of(request.HttpContext);
        if (!api.IsResourceRequest)
        {
            return new RequestAttributes { User = user, Verb = request.Method.ToLowerInvariant(), Path = path };
        }

        var verb = api.SpecialVerb ?? request.Method switch
        {
            "POST" => "create",
            "GET" or "HEAD" => "get",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => "",
        };
        var name = api.Name;
        if (name.Length == 0 && api.SpecialVerb is null)
        {
            if (verb == "get")
            {
                verb = request.Query.GetBool("watch") ? "watch" : "list";
                // A list or watch of one object by field selector is authorized as that object (kubectl get NAME -w,
                // a node watching its own Node).
                if (SingleName(request.Query.Get("fieldSelector")) is { } single)
                {
                    name = single;
                }
            }
            else if (verb == "delete")
            {
                verb = "deletecollection";
            }
        }

        return new RequestAttributes
        {
            User = user,
            Verb = verb,
            IsResourceRequest = true,
            Path = path,
            ApiGroup = api.Group,
            ApiVersion = api.Version,
            Namespace = api.Namespace,
            Resource = api.Resource,
            Subresource = api.Subresource,
            Name = name,
        };
    }

    /// <summary>The name a field selector requires exactly (<c>metadata.name=x</c> or <c>metadata.name==x</c>), when it is a valid path segment.</summary>
    private static string? SingleName(string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return null;
        }

        string? name = null;
        foreach (var term in selector.Split(','))
        {
            var eq = term.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || term[..eq].Trim() != "metadata.name")
            {
                continue; // another field, or metadata.name!=x
            }

            var value = term[(eq + 1)..].TrimStart('=').Trim();
            if (name is not null && name != value)
            {
                return null;
            }

            name = value;
        }

        return name is { Length: > 0 } && Core.Validation.NameValidators.PathSegmentName(name, false).Count == 0 ? name : null;
    }
}
