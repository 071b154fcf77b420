using System.Buffers.Text;
using System.Text;
using Berth.ApiServer.Security;

namespace Berth.ApiServer.Tests.Security;

/// <summary>What a service account token alone proves, on a manual clock: expiry with the one-minute leeway, issuer, audience, signature.</summary>
public sealed class ServiceAccountTokensTests : IDisposable
{
    private const string Issuer = "https://kubernetes.default.svc.cluster.local";

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "berth-satokens-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly ManualTimeProvider _clock = new();
    private readonly ServiceAccountKey _key;
    private readonly ServiceAccountTokens _tokens;

    public ServiceAccountTokensTests()
    {
        _key = ServiceAccountKey.LoadOrCreate(_dataDir);
        _tokens = new ServiceAccountTokens(_key, Issuer, [Issuer], _clock);
    }

    [Fact]
    public void Check_PastExpiryAndLeeway_Expired()
    {
        var token = _tokens.Issue(Claims([Issuer], TimeSpan.FromMinutes(10)));

        _clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(59));
        var withinLeeway = _tokens.Check(token);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var expired = _tokens.Check(token);

        Assert.Equal("robot", withinLeeway.Claims?.ServiceAccount.Name);
        Assert.Equal((null, "service account token has expired"), expired);
    }

    [Fact]
    public void Check_OtherAudienceOrIssuer_Refused()
    {
        var vault = _tokens.Issue(Claims(["https://vault.example"], TimeSpan.FromHours(1)));
        var foreign = new ServiceAccountTokens(_key, "https://elsewhere.example", [Issuer], _clock).Issue(Claims([Issuer], TimeSpan.FromHours(1)));

        Assert.Equal("token audiences [https://vault.example] is invalid for the target audiences [https://kubernetes.default.svc.cluster.local]", _tokens.Check(vault).Error);
        Assert.Equal("token issuer is not " + Issuer, _tokens.Check(foreign).Error);
    }

    [Fact]
    public void Check_AlteredPayloadOrAlgorithmNone_NotSigned()
    {
        var parts = _tokens.Issue(Claims([Issuer], TimeSpan.FromHours(1))).Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("robot", "admin", StringComparison.Ordinal);
        var altered = parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + "." + parts[2];
        var none = Base64Url.EncodeToString("""{"alg":"none"}"""u8) + "." + parts[1] + ".";

        Assert.Equal("not a token signed by this server", _tokens.Check(altered).Error);
        Assert.Equal("not a token signed by this server", _tokens.Check(none).Error);
        Assert.Equal("not a token signed by this server", _tokens.Check("not-a-jwt").Error);
    }

    [Fact]
    public void LoadOrCreate_Twice_SameKeyFileMode0600()
    {
        using var again = ServiceAccountKey.LoadOrCreate(_dataDir);

        Assert.Equal(_key.KeyId, again.KeyId);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dataDir, "sa.key")));
    }

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    private ServiceAccountClaims Claims(IReadOnlyList<string> audiences, TimeSpan lifetime) => new()
    {
        Namespace = "default",
        ServiceAccount = new BoundObject("robot", "uid-1"),
        Audiences = audiences,
        IssuedAt = _clock.GetUtcNow(),
        Expires = _clock.GetUtcNow() + lifetime,
        Id = "jti-1",
    };
}
