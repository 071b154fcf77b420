using Berth.Core.Errors;
using Berth.Core.Resources;

namespace Berth.ApiServer.Http;

/// <summary>Resolves a parsed <see cref="ApiPath"/> against the registry: what the router serves, or a 404 Status.</summary>
internal static class RequestResolver
{
    private const string EphemeralContainersUnsupported =
        "Berth does not support ephemeral containers: a pod's containers are host processes, and no container can be added to a running pod; use kubectl exec to run a command in one of its containers";

    /// <summary>Null when the path is not a resource path (discovery, health, …). Throws a 404 Status for an unknown resource.</summary>
    public static RequestInfo? Resolve(ResourceRegistry registry, ApiPath path)
    {
        if (!path.IsResourceRequest)
        {
            return null;
        }

        // The deprecated /watch/… and /proxy/… forms are not served (kubectl and the clients use ?watch=true and
        // …/{name}/proxy).
        if (path.SpecialVerb is not null || path.Parts.Count == 0)
        {
            throw StatusErrors.PathNotFound();
        }

        var resource = registry.Find(path.Group, path.Version, path.Resource);
        if (resource is null || (path.WithinNamespace && !resource.Namespaced))
        {
            throw StatusErrors.PathNotFound();
        }

        var name = path.Parts.Count >= 2 ? path.Name : null;
        var sub = path.Parts.Count >= 3 ? path.Subresource : null;
        if (sub is not null && !resource.HasSubresource(sub))
        {
            throw (path.Group, resource.Plural, sub) switch
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

        return new RequestInfo(resource, path.WithinNamespace ? path.Namespace : null, name, sub, path.SubPath);
    }
}
