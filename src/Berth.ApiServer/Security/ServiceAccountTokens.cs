using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Security;

/// <summary>
/// Issues service account tokens and checks the ones presented (kubernetes <c>pkg/serviceaccount/jwt.go</c> and
/// <c>claims.go</c>): an ES256 JWT with Kubernetes' claims (<c>iss</c>, <c>sub</c>, <c>aud</c>, <c>exp</c>, <c>iat</c>,
/// <c>nbf</c>, <c>jti</c> and the private <c>kubernetes.io</c> claim). <see cref="Check"/> verifies what the token alone
/// proves — signature, issuer, time (with go-jose's one-minute leeway, as Kubernetes) and an audience of this server;
/// whether the service account and the bound objects still exist is <see cref="ServiceAccountAuthenticator"/>'s part.
/// </summary>
internal sealed class ServiceAccountTokens
{
    /// <summary><c>jwt.DefaultLeeway</c>, which Kubernetes' validator uses for exp and nbf.</summary>
    private static readonly TimeSpan _leeway = TimeSpan.FromMinutes(1);

    private readonly ServiceAccountKey _key;
    private readonly TimeProvider _time;

    public ServiceAccountTokens(ServiceAccountKey key, string issuer, IReadOnlyList<string> apiAudiences, TimeProvider time)
    {
        _key = key;
        Issuer = issuer;
        ApiAudiences = apiAudiences;
        _time = time;
    }

    public string Issuer { get; }

    /// <summary>The audiences this server accepts and gives tokens that ask for none (<c>--api-audiences</c>).</summary>
    public IReadOnlyList<string> ApiAudiences { get; }

    public string Issue(ServiceAccountClaims claims)
    {
        var kubernetes = new JsonObject { ["namespace"] = claims.Namespace };
        AddBound(kubernetes, "node", claims.Node);
        AddBound(kubernetes, "pod", claims.Pod);
        AddBound(kubernetes, "secret", claims.Secret);
        AddBound(kubernetes, "serviceaccount", claims.ServiceAccount);
        if (claims.WarnAfter is { } warnAfter)
        {
            kubernetes["warnafter"] = warnAfter.ToUnixTimeSeconds();
        }

        var payload = new JsonObject
        {
            ["aud"] = new JsonArray([.. claims.Audiences.Select(a => JsonValue.Create(a))]),
            ["exp"] = claims.Expires.ToUnixTimeSeconds(),
            ["iat"] = claims.IssuedAt.ToUnixTimeSeconds(),
            ["iss"] = Issuer,
            ["jti"] = claims.Id,
            ["kubernetes.io"] = kubernetes,
            ["nbf"] = claims.IssuedAt.ToUnixTimeSeconds(),
            ["sub"] = UserInfo.ServiceAccountUserName(claims.Namespace, claims.ServiceAccount.Name),
        };
        return JsonWebToken.Sign(_key.Key, _key.KeyId, payload);
    }

    /// <summary>The claims of a valid token of this issuer for this server, or why it is not one (never thrown: any string may arrive).</summary>
    public (ServiceAccountClaims? Claims, string Error) Check(string token)
    {
        var payload = JsonWebToken.Verify(_key.Key, token);
        if (payload is null)
        {
            return (null, "not a token signed by this server");
        }

        try
        {
            return Read(payload);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or ArgumentException)
        {
            return (null, "malformed claims: " + e.Message);
        }
    }

    private (ServiceAccountClaims? Claims, string Error) Read(JsonObject payload)
    {
        if (String(payload, "iss") != Issuer)
        {
            return (null, "token issuer is not " + Issuer);
        }

        var now = _time.GetUtcNow();
        var expires = DateTimeOffset.FromUnixTimeSeconds(payload["exp"]!.GetValue<long>());
        var notBefore = DateTimeOffset.FromUnixTimeSeconds(payload["nbf"]?.GetValue<long>() ?? 0);
        if (now > expires + _leeway)
        {
            return (null, "service account token has expired");
        }

        if (now < notBefore - _leeway)
        {
            return (null, "service account token is not valid yet");
        }

        // A single audience may be sent as a string (RFC 7519 §4.1.3).
        IReadOnlyList<string> audiences = payload["aud"] switch
        {
            JsonArray array => [.. array.Select(a => a!.GetValue<string>())],
            JsonValue value => [value.GetValue<string>()],
            _ => [],
        };
        if (!audiences.Intersect(ApiAudiences, StringComparer.Ordinal).Any())
        {
            return (null, $"token audiences [{string.Join(' ', audiences)}] is invalid for the target audiences [{string.Join(' ', ApiAudiences)}]");
        }

        var kubernetes = (JsonObject)payload["kubernetes.io"]!;
        var ns = String(kubernetes, "namespace");
        var account = Bound(kubernetes, "serviceaccount");
        if (ns.Length == 0 || account is null || String(payload, "sub") != UserInfo.ServiceAccountUserName(ns, account.Name))
        {
            return (null, "token names no service account");
        }

        return (new ServiceAccountClaims
        {
            Namespace = ns,
            ServiceAccount = account,
            Pod = Bound(kubernetes, "pod"),
            Secret = Bound(kubernetes, "secret"),
            Node = Bound(kubernetes, "node"),
            Audiences = audiences,
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds(payload["iat"]?.GetValue<long>() ?? 0),
            Expires = expires,
            Id = String(payload, "jti"),
        }, "");
    }

    private static void AddBound(JsonObject claim, string name, BoundObject? bound)
    {
        if (bound is not null)
        {
            claim[name] = new JsonObject { ["name"] = bound.Name, ["uid"] = bound.Uid };
        }
    }

    private static BoundObject? Bound(JsonObject claim, string name) =>
        claim[name] is JsonObject o ? new BoundObject(String(o, "name"), String(o, "uid")) : null;

    private static string String(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
}
