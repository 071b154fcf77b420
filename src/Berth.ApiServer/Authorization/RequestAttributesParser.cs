using Berth.ApiServer.Http;
using Berth.ApiServer.Security;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// Turns a request into <see cref="RequestAttributes"/> the way apiserver's <c>RequestInfoFactory.NewRequestInfo</c>
/// (pkg/endpoints/request/requestinfo.go) does — from the path, method and query alone, before routing, so a request
/// for a resource that does not exist is refused (403) before it is looked up (404), as in Kubernetes.
/// </summary>
internal static class RequestAttributesParser
{
    public static RequestAttributes Parse(HttpRequest request, UserInfo user)
    {
        var path = request.Path.Value ?? "/";
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var nonResource = new RequestAttributes { User = user, Verb = request.Method.ToLowerInvariant(), Path = path };
        if (parts.Length < 3 || parts[0] is not ("api" or "apis"))
        {
            return nonResource;
        }

        var group = "";
        var next = 1;
        if (parts[0] == "apis")
        {
            if (parts.Length < 4)
            {
                return nonResource;
            }

            group = parts[1];
            next = 2;
        }

        var version = parts[next];
        var rest = parts[(next + 1)..];
        string verb;
        var verbFromMethod = true;
        if (rest[0] is "watch" or "proxy")
        {
            // The deprecated /watch/… and /proxy/… path forms name their verb.
            verb = rest[0];
            verbFromMethod = false;
            rest = rest[1..];
            if (rest.Length == 0)
            {
                return nonResource with { IsResourceRequest = true, ApiGroup = group, ApiVersion = version, Verb = verb };
            }
        }
        else
        {
            verb = request.Method switch
            {
                "POST" => "create",
                "GET" or "HEAD" => "get",
                "PUT" => "update",
                "PATCH" => "patch",
                "DELETE" => "delete",
                _ => "",
            };
        }

        var ns = "";
        if (rest[0] == "namespaces")
        {
            if (rest.Length > 1)
            {
                ns = Uri.UnescapeDataString(rest[1]);
                // /namespaces/{name}/status|finalize are subresources of the Namespace itself.
                if (rest.Length > 2 && rest[2] is not ("status" or "finalize"))
                {
                    rest = rest[2..];
                }
            }
        }

        var resource = rest[0];
        var name = rest.Length >= 2 ? Uri.UnescapeDataString(rest[1]) : "";
        var subresource = rest.Length >= 3 && verb != "proxy" ? rest[2] : "";
        if (name.Length == 0 && verbFromMethod)
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
            ApiGroup = group,
            ApiVersion = version,
            Namespace = ns,
            Resource = resource,
            Subresource = subresource,
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
