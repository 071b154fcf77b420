using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.ApiServer.Http;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Security;

/// <summary>
/// Finds who a request is from and puts the <see cref="UserInfo"/> on its context: the admin bearer token (the
/// <c>system:masters</c> user <see cref="UserInfo.Admin"/>), a client certificate issued by the cluster CA (user = its
/// CN, groups = its Os, as kube-apiserver's x509 authenticator), a service account token (<see
/// cref="ServiceAccountAuthenticator"/>), or the identity of the in-process transport. The health and version probes
/// need none; anything else without a credential gets 401 Unauthorized.
/// </summary>
internal sealed class AuthenticationMiddleware
{
    private static readonly HashSet<string> _openPaths = ["/healthz", "/livez", "/readyz", "/version"];

    private readonly RequestDelegate _next;
    private readonly ClusterCredentials _credentials;
    private readonly ServiceAccountAuthenticator _serviceAccounts;
    private readonly byte[] _token;

    public AuthenticationMiddleware(RequestDelegate next, ClusterCredentials credentials, ServiceAccountAuthenticator serviceAccounts)
    {
        _next = next;
        _credentials = credentials;
        _serviceAccounts = serviceAccounts;
        _token = Encoding.UTF8.GetBytes(credentials.AdminToken);
    }

    /// <summary>True for the paths every client may ask without a credential (kube-apiserver: system:public-info-viewer).</summary>
    public static bool IsOpenPath(string path) => _openPaths.Contains(path.TrimEnd('/'));

    public async Task InvokeAsync(HttpContext context)
    {
        if (await AuthenticateAsync(context).ConfigureAwait(false) is { } user)
        {
            context.Features.Set(user);
            await _next(context).ConfigureAwait(false);
            return;
        }

        if (IsOpenPath(context.Request.Path.Value ?? "/"))
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        await Responses.WriteErrorAsync(context, StatusErrors.Unauthorized()).ConfigureAwait(false);
    }

    private async ValueTask<UserInfo?> AuthenticateAsync(HttpContext context)
    {
        if (context.Features.Get<InProcessIdentity>() is { } inProcess)
        {
            return inProcess.User;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header[7..].Trim();
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _token)
                ? UserInfo.Admin
                : await _serviceAccounts.AuthenticateAsync(token, context.RequestAborted).ConfigureAwait(false);
        }

        var certificate = context.Connection.ClientCertificate;
        return certificate is not null && _credentials.IsIssuedByCa(certificate) ? FromCertificate(certificate) : null;
    }

    /// <summary>kube-apiserver's <c>CommonNameUserConversion</c>: CN is the user, every O a group.</summary>
    internal static UserInfo? FromCertificate(X509Certificate2 certificate)
    {
        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        List<string> groups = [];
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.10" && rdn.GetSingleElementValue() is { Length: > 0 } organization)
            {
                groups.Add(organization);
            }
        }

        groups.Add(UserInfo.AllAuthenticated);
        return new UserInfo(name, groups);
    }
}
