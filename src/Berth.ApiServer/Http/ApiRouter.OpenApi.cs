using System.Globalization;
using Berth.ApiServer.Discovery;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Berth.ApiServer.Http;

internal sealed partial class ApiRouter
{
    /// <summary>
    /// An OpenAPI v3 document with kube-openapi's caching (handler3/handler.go): an ETag of its hash, answered with 304
    /// when the client holds it; for a group-version URL that names a hash, a redirect (301) to the current hash when
    /// they differ, else <c>Cache-Control: public, immutable</c> and <c>Expires</c> a year on, so kubectl's HTTP cache
    /// keeps it until the index names another hash.
    /// </summary>
    private async Task WriteOpenApiAsync(HttpContext context, string? groupVersion, OpenApiDocuments.Document document)
    {
        var response = context.Response;
        var etag = "\"" + document.Hash + "\"";
        response.Headers.ETag = etag;
        response.Headers.LastModified = document.LastModified.ToString("R", CultureInfo.InvariantCulture);
        if (groupVersion is not null && context.Request.Query["hash"].ToString() is { Length: > 0 } hash)
        {
            if (hash != document.Hash)
            {
                response.StatusCode = StatusCodes.Status301MovedPermanently;
                response.Headers.Location = "/openapi/v3/" + groupVersion + "?hash=" + document.Hash;
                return;
            }

            response.Headers.Vary = "Accept";
            response.Headers.CacheControl = "public, immutable";
            response.Headers.Expires = _openApi.Time.GetUtcNow().AddYears(1).ToString("R", CultureInfo.InvariantCulture);
        }

        if (EntityTagHeaderValue.TryParseList(context.Request.Headers.IfNoneMatch, out var held) && held.Any(t => t.Tag == etag || t.Tag == "*"))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        await Responses.WriteBytesAsync(context, 200, document.Json, context.RequestAborted).ConfigureAwait(false);
    }
}
