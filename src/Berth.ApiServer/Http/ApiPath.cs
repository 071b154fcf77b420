using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Http;

/// <summary>
/// What an API path names, parsed from the path alone the way apiserver's <c>RequestInfoFactory.NewRequestInfo</c>
/// (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go) does — the one parser both the authorizer
/// (<see cref="Authorization.RequestAttributes"/>, before routing) and the router (<see cref="RequestInfo"/>, against
/// the registry) read. <c>/api/v1/namespaces/{ns}/{resource}/{name}/{subresource}/{more…}</c>:
/// <see cref="Parts"/> start at the resource, and <c>/namespaces/{name}</c>, <c>/namespaces/{name}/status</c> and
/// <c>/finalize</c> name a Namespace itself (its <see cref="Namespace"/> is its name, as in Kubernetes).
/// </summary>
internal sealed record ApiPath
{
    private static readonly ApiPath _nonResource = new();

    /// <summary>False for discovery, health, OpenAPI and other paths outside <c>/api</c> and <c>/apis/{group}</c>.</summary>
    public bool IsResourceRequest { get; private init; }

    public string Group { get; private init; } = "";

    public string Version { get; private init; } = "";

    /// <summary>
    /// <c>watch</c> or <c>proxy</c> for the deprecated <c>/api/v1/watch/…</c> and <c>/api/v1/proxy/…</c> forms, which
    /// name their verb; null otherwise.
    /// </summary>
    public string? SpecialVerb { get; private init; }

    public string Namespace { get; private init; } = "";

    /// <summary>True when <see cref="Parts"/> follow <c>/namespaces/{ns}/</c> (a namespaced collection or object).</summary>
    public bool WithinNamespace { get; private init; }

    /// <summary>The path from the resource on: resource, name, subresource, then whatever a subresource makes of the rest.</summary>
    public IReadOnlyList<string> Parts { get; private init; } = [];

    public string Resource => Parts.Count >= 1 ? Parts[0] : "";

    public string Name => Parts.Count >= 2 ? Uri.UnescapeDataString(Parts[1]) : "";

    /// <summary>Empty under the <c>proxy</c> verb, whose remaining parts are the proxied path (apiserver's specialVerbsNoSubresources).</summary>
    public string Subresource => Parts.Count >= 3 && SpecialVerb != "proxy" ? Parts[2] : "";

    /// <summary>The parts after the subresource (a proxied path), or null.</summary>
    public string? SubPath => Parts.Count >= 4 ? string.Join('/', Parts.Skip(3)) : null;

    /// <summary>The request's path, parsed once and kept with the request for the authorizer and the router.</summary>
    public static ApiPath Of(HttpContext context)
    {
        if (context.Features.Get<ApiPath>() is { } parsed)
        {
            return parsed;
        }

        parsed = Parse(context.Request.Path.Value ?? "/");
        context.Features.Set(parsed);
        return parsed;
    }

    public static ApiPath Parse(string path)
    {
        var parts = path.Trim('/').Split('/');
        if (parts.Length < 3 || parts[0] is not ("api" or "apis"))
        {
            return _nonResource;
        }

        var group = "";
        var next = 1;
        if (parts[0] == "apis")
        {
            if (parts.Length < 4)
            {
                return _nonResource;
            }

            group = parts[1];
            next = 2;
        }

        var version = parts[next];
        var rest = parts.AsSpan(next + 1);
        string? specialVerb = null;
        if (rest[0] is "watch" or "proxy")
        {
            specialVerb = rest[0];
            rest = rest[1..];
        }

        var ns = "";
        var within = false;
        if (rest.Length > 1 && rest[0] == "namespaces")
        {
            ns = Uri.UnescapeDataString(rest[1]);
            if (rest.Length > 2 && rest[2] is not ("status" or "finalize"))
            {
                rest = rest[2..];
                within = true;
            }
        }

        return new ApiPath
        {
            IsResourceRequest = true,
            Group = group,
            Version = version,
            SpecialVerb = specialVerb,
            Namespace = ns,
            WithinNamespace = within,
            Parts = rest.ToArray(),
        };
    }
}
