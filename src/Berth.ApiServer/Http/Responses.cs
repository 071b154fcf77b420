using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Errors;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Http;

/// <summary>Writes JSON replies; every body is Kubernetes JSON (KubernetesJson for models).</summary>
internal static class Responses
{
    public static Task WriteBytesAsync(HttpContext context, int status, byte[] body, CancellationToken cancellationToken, string contentType = MediaTypes.Json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, cancellationToken).AsTask();
    }

    public static Task WriteJsonAsync(HttpContext context, int status, JsonNode body, CancellationToken cancellationToken, string contentType = MediaTypes.Json) =>
        WriteBytesAsync(context, status, Encoding.UTF8.GetBytes(body.ToJsonString()), cancellationToken, contentType);

    public static Task WriteObjectAsync(HttpContext context, int status, object body, CancellationToken cancellationToken) =>
        WriteBytesAsync(context, status, body is V1Status s ? StatusJson.Encode(s) : Encoding.UTF8.GetBytes(KubernetesJson.Serialize(body)), cancellationToken);

    public static Task WriteStatusAsync(HttpContext context, V1Status status)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.Headers.Remove("Warning");
        return WriteObjectAsync(context, status.Code ?? 500, status, CancellationToken.None);
    }

    public static Task WriteErrorAsync(HttpContext context, StatusException error) => WriteStatusAsync(context, error.Status);
}
