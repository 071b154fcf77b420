using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.ApiServer.Proxy;

/// <summary>
/// Forwards a plain HTTP request (any verb, query and body kept) and streams the answer back, flushing as bytes
/// arrive so that <c>logs -f</c> and long-polling backends work through the proxy.
/// </summary>
internal static class HttpForwarder
{
    public static async Task ForwardAsync(HttpContext context, HttpMessageInvoker http, Uri target, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target) { Version = System.Net.HttpVersion.Version11 };
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (!ProxyHeaders.IsForwarded(name) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        if (request.Content is not null && context.Request.ContentLength is { } length)
        {
            request.Content.Headers.ContentLength = length;
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Core.Errors.StatusErrors.ServiceUnavailable($"error trying to reach service: {e.Message}");
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (ProxyHeaders.IsRelayedResponse(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            if (response.Content.Headers.ContentLength is { } contentLength)
            {
                context.Response.ContentLength = contentLength;
            }

            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            if (context.Request.Method == "HEAD")
            {
                return;
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var buffer = new byte[16 * 1024];
                int n;
                while ((n = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
