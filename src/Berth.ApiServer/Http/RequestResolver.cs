using Berth.Core.Errors;
using Berth.Core.Resources;

namespace Berth.ApiServer.Http;

/// <summary>Resolves a parsed <see cref="ApiPath"/> against the registry: what the router serves, or a 404 Status.</summary>
internal static class RequestResolver
{
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
        if ((sub is not null && !resource.HasSubresource(sub)) || name is { Length: 0 })
        {
            throw StatusErrors.PathNotFound();
        }

        return new RequestInfo(resource, path.WithinNamespace ? path.Namespace : null, name, sub, path.SubPath);
    }
}
