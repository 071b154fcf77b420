using System.Security.Cryptography;
using System.Text;
using Berth.ApiServer.Http;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Security;

/// <summary>
/// Every request but the health and version probes must carry the admin bearer token or a client certificate
/// issued by the cluster CA; anything else gets 401 Unauthorized.
/// </summary>
internal sealed class AuthenticationMiddleware
{
    private static readonly HashSet<string> _openPaths = ["/healthz", "/livez", "/readyz", "/version"];

    private readonly RequestDelegate _next;
    private readonly ClusterCredentials _credentials;
    private readonly byte[] _token;

    public AuthenticationMiddleware(RequestDelegate next, ClusterCredentials credentials)
    {
        _next = next;
        _credentials = credentials;
        _token = Encoding.UTF8.GetBytes(credentials.AdminToken);
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (_openPaths.Contains(path.TrimEnd('/')) || IsAuthenticated(context))
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        await Responses.WriteErrorAsync(context, StatusErrors.Unauthorized()).ConfigureAwait(false);
    }

    private bool IsAuthenticated(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var presented = Encoding.UTF8.GetBytes(header[7..].Trim());
            return CryptographicOperations.FixedTimeEquals(presented, _token);
        }

        var certificate = context.Connection.ClientCertificate;
        return certificate is not null && _credentials.IsIssuedByCa(certificate);
    }
}
