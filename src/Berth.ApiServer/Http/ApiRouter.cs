using System.Text;
using Berth.ApiServer.Discovery;
using Berth.ApiServer.Metrics;
using Berth.ApiServer.Proxy;
using Berth.ApiServer.Rest;
using Berth.ApiServer.Security;
using Berth.Core.Errors;
using Berth.Core.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Http;

/// <summary>
/// The one endpoint behind every URL: health, version, discovery and OpenAPI documents, then resource URLs for
/// the REST handler. Every failure leaves as a Kubernetes Status.
/// </summary>
internal sealed partial class ApiRouter
{
    private static readonly byte[] _ok = "ok"u8.ToArray();

    private readonly ResourceRegistry _registry;
    private readonly RestHandler _rest;
    private readonly SubresourceProxy _proxy;
    private readonly DiscoveryDocuments _discovery;
    private readonly OpenApiDocuments _openApi;
    private readonly MetricsApi? _metrics;
    private readonly byte[] _version;
    private readonly ILogger _logger;

    public ApiRouter(ResourceRegistry registry, RestHandler rest, SubresourceProxy proxy, DiscoveryDocuments discovery, OpenApiDocuments openApi, ILogger logger, MetricsApi? metrics = null)
    {
        _metrics = metrics;
        _registry = registry;
        _rest = rest;
        _proxy = proxy;
        _discovery = discovery;
        _openApi = openApi;
        _logger = logger;
        _version = Encoding.UTF8.GetBytes(VersionInfo.Json);
    }

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await RouteAsync(context).ConfigureAwait(false);
        }
        catch (StatusException e)
        {
            await Responses.WriteErrorAsync(context, e).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            var error = e.StatusCode == 413 ? StatusErrors.RequestEntityTooLarge(e.Message) : StatusErrors.BadRequest(e.Message);
            await Responses.WriteErrorAsync(context, error).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The API must answer with a Status, whatever went wrong inside.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var auditId = AuditId.Of(context);
            Log.RequestFailed(_logger, context.Request.Method, context.Request.Path.Value ?? "", auditId, e);
            await Responses.WriteErrorAsync(context, InternalError(context, auditId)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A 500 says which request failed and where to look, never what the exception said: its message and stack can
    /// hold paths, SQL or other users' data. The exception is in the server log under the same audit ID.
    /// </summary>
    private static StatusException InternalError(HttpContext context, string auditId) =>
        StatusErrors.Internal($"the server failed to handle {context.Request.Method} {context.Request.Path.Value}; its log has the cause under audit ID {auditId}");

    private async Task RouteAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var ct = context.RequestAborted;
        var get = context.Request.Method is "GET" or "HEAD";
        switch (path.TrimEnd('/'))
        {
            case "/healthz" or "/livez" or "/readyz" when get:
                await Responses.WriteBytesAsync(context, 200, _ok, ct, "text/plain; charset=utf-8").ConfigureAwait(false);
                return;
            case "/version" when get:
                await Responses.WriteBytesAsync(context, 200, _version, ct).ConfigureAwait(false);
                return;
            case "/api" when get:
                await WriteDiscoveryAsync(context, _discovery.AggregatedCore, _discovery.LegacyCore).ConfigureAwait(false);
                return;
            case "/apis" when get:
                await WriteDiscoveryAsync(context, _discovery.AggregatedGroups, _discovery.LegacyGroups).ConfigureAwait(false);
                return;
            case "/openapi/v3" when get:
                await WriteOpenApiAsync(context, null, _openApi.Root).ConfigureAwait(false);
                return;
            default:
                break;
        }

        if (get && path.StartsWith("/openapi/v3/", StringComparison.Ordinal) && _openApi.Documents.TryGetValue(path["/openapi/v3/".Length..], out var doc))
        {
            await WriteOpenApiAsync(context, path["/openapi/v3/".Length..], doc).ConfigureAwait(false);
            return;
        }

        if (get && TryDiscoveryDocument(path.TrimEnd('/'), out var document))
        {
            await WriteTextAsync(context, document).ConfigureAwait(false);
            return;
        }

        if (_metrics is not null && MetricsApi.Handles(path))
        {
            await _metrics.HandleAsync(context, path).ConfigureAwait(false);
            return;
        }

        var request = (RequestResolver.Resolve(_registry, ApiPath.Of(context)) ?? throw StatusErrors.PathNotFound()) with { User = context.Features.Get<UserInfo>() };
        if (SubresourceProxy.Handles(request))
        {
            await _proxy.HandleAsync(context, request).ConfigureAwait(false);
            return;
        }

        await _rest.HandleAsync(context, request).ConfigureAwait(false);
    }

    private bool TryDiscoveryDocument(string path, out string document)
    {
        document = "";
        if (path == "/api/v1")
        {
            return _discovery.ResourceLists.TryGetValue("v1", out document!);
        }

        if (!path.StartsWith("/apis/", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = path["/apis/".Length..];
        return rest.Contains('/', StringComparison.Ordinal)
            ? _discovery.ResourceLists.TryGetValue(rest, out document!)
            : _discovery.Groups.TryGetValue(rest, out document!);
    }

    private static Task WriteDiscoveryAsync(HttpContext context, string aggregated, string legacy) =>
        MediaTypes.WantsAggregatedDiscovery(context.Request.Headers.Accept)
            ? Responses.WriteBytesAsync(context, 200, Encoding.UTF8.GetBytes(aggregated), context.RequestAborted, MediaTypes.AggregatedDiscovery)
            : WriteTextAsync(context, legacy);

    private static Task WriteTextAsync(HttpContext context, string json) =>
        Responses.WriteBytesAsync(context, 200, Encoding.UTF8.GetBytes(json), context.RequestAborted);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "{Method} {Path} failed (audit ID {AuditId})")]
        public static partial void RequestFailed(ILogger logger, string method, string path, string auditId, Exception exception);
    }
}
