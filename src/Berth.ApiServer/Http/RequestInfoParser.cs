using Berth.Core.Errors;
using Berth.Core.Resources;

namespace Berth.ApiServer.Http;

/// <summary>Resolves a resource URL against the registry, the way the Kubernetes request-info resolver does.</summary>
internal static class RequestInfoParser
{
    private const string EphemeralContainersUnsupported =
        "Berth does not support ephemeral containers: a pod's containers are host processes, and no container can be added to a running pod; use kubectl exec to run a command in one of its containers";

    /// <summary>Null when the path is not a resource path (discovery, health, …). Throws a 404 Status for an unknown resource.</summary>
    public static RequestInfo? Parse(ResourceRegistry registry, string path)
    {
        var parts = path.Trim('/').Split('/');
        string group;
        int next;
        if (parts.Length >= 3 && parts[0] == "api" && parts[1] == "v1")
        {
            group = "";
            next = 2;
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            group = parts[1];
            next = 3;
        }
        else
        {
            return null;
        }

        var version = parts[next - 1];
        var rest = parts[next..];
        string? ns = null;

        // /namespaces/{ns}/{resource}/… — but /namespaces/{name} and /namespaces/{name}/status|finalize name a Namespace.
        if (group.Length == 0 && rest.Length >= 3 && rest[0] == "namespaces" && rest[2] is not ("status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }
        else if (group.Length > 0 && rest.Length >= 3 && rest[0] == "namespaces")
        {
            ns = rest[1];
            rest = rest[2..];
        }

        var resource = registry.Find(group, rest[0]);
        if (resource is null || resource.Version != version)
        {
            throw StatusErrors.PathNotFound();
        }

        if (ns is not null && !resource.Namespaced)
        {
            throw StatusErrors.PathNotFound();
        }

        var name = rest.Length >= 2 ? Uri.UnescapeDataString(rest[1]) : null;
        var sub = rest.Length >= 3 ? rest[2] : null;
        var subPath = rest.Length >= 4 ? string.Join('/', rest[3..]) : null;
        if (sub is not null && !resource.HasSubresource(sub))
        {
            throw (group, resource.Plural, sub) switch
            {
                // kubectl debug adds its container with a patch of this subresource; a 404 with empty details (as from
                // a cluster without it) makes kubectl print "ephemeral containers are disabled for this cluster (error
                // from server: …)" with this reason.
                ("", "pods", "ephemeralcontainers") => StatusErrors.Unserved(EphemeralContainersUnsupported),
                _ => StatusErrors.PathNotFound(),
            };
        }

        if (name is { Length: 0 })
        {
            throw StatusErrors.PathNotFound();
        }

        return new RequestInfo(resource, ns, name, sub, subPath);
    }
}
