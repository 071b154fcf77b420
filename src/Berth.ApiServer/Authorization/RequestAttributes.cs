using Berth.ApiServer.Security;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// What one request asks to do, as an authorizer sees it (apiserver <c>authorizer.Attributes</c>): the user, the verb
/// (<c>get</c>, <c>list</c>, <c>watch</c>, <c>create</c>, … for resources; the lower-cased HTTP method for other paths)
/// and either the resource (group, namespace, resource, subresource, name) or the path.
/// </summary>
internal sealed record RequestAttributes
{
    public required UserInfo User { get; init; }

    public required string Verb { get; init; }

    public bool IsResourceRequest { get; init; }

    /// <summary>The URL path (non-resource requests are authorized by it).</summary>
    public string Path { get; init; } = "";

    public string ApiGroup { get; init; } = "";

    public string ApiVersion { get; init; } = "";

    public string Namespace { get; init; } = "";

    public string Resource { get; init; } = "";

    public string Subresource { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary>The resource as rules name it: <c>pods</c> or, with a subresource, <c>pods/log</c>.</summary>
    public string CombinedResource => Subresource.Length == 0 ? Resource : Resource + "/" + Subresource;
}
