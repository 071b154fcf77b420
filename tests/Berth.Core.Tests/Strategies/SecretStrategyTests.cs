using System.Text;
using Berth.Core.Strategies;
using k8s.Models;

namespace Berth.Core.Tests.Strategies;

public sealed class SecretStrategyTests
{
    private readonly SecretStrategy _strategy = new();

    [Fact]
    public void PrepareForCreate_StringData_MergedIntoDataAndDropped()
    {
        var secret = Secret(null, ("a", "from-data"), ("b", "kept"));
        secret.StringData = new Dictionary<string, string> { ["a"] = "from-string-data", ["c"] = "new" };

        _strategy.PrepareForCreate(secret);
        _strategy.Default(secret);

        Assert.Null(secret.StringData);
        Assert.Equal("Opaque", secret.Type);
        Assert.Equal(["from-string-data", "kept", "new"], secret.Data.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => Encoding.UTF8.GetString(kv.Value)));
    }

    [Theory]
    [InlineData("kubernetes.io/tls", "data[tls.crt]: Required value|data[tls.key]: Required value")]
    [InlineData("kubernetes.io/basic-auth", "data[username]: Required value|data[password]: Required value")]
    [InlineData("kubernetes.io/ssh-auth", "data[ssh-privatekey]: Required value")]
    [InlineData("kubernetes.io/dockercfg", "data[.dockercfg]: Required value")]
    [InlineData("kubernetes.io/dockerconfigjson", "data[.dockerconfigjson]: Required value")]
    [InlineData("kubernetes.io/service-account-token", "metadata.annotations[kubernetes.io/service-account.name]: Required value")]
    [InlineData("bootstrap.kubernetes.io/token", "")]
    [InlineData("Opaque", "")]
    [InlineData("example.com/custom", "")]
    public void Validate_TypeWithoutItsKeys_RequiredErrors(string type, string expected)
    {
        var secret = Secret(type);

        var errors = _strategy.Validate(secret).Select(e => e.ToString());

        Assert.Equal(expected, string.Join('|', errors));
    }

    [Fact]
    public void Validate_BasicAuthWithOnlyAnEmptyPassword_Valid()
    {
        var secret = Secret("kubernetes.io/basic-auth", ("password", ""));

        Assert.Empty(_strategy.Validate(secret));
    }

    [Fact]
    public void Validate_DockerConfigJsonNotAnObject_InvalidRedacted()
    {
        var secret = Secret("kubernetes.io/dockerconfigjson", (".dockerconfigjson", "[1]"));

        var error = Assert.Single(_strategy.Validate(secret));

        Assert.Equal("data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": json: cannot unmarshal array into Go value of type map[string]interface {}", error.ToString());
    }

    [Fact]
    public void Validate_BadKeyAndTooLarge_KeyMessageAndTooLong()
    {
        var secret = Secret(null, ("a b", "x"));
        secret.Data["big"] = new byte[1024 * 1024];

        var errors = _strategy.Validate(secret).Select(e => e.ToString()).ToList();

        Assert.Contains("data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')", errors);
        Assert.Contains("data: Too long: may not be more than 1048576 bytes", errors);
    }

    [Fact]
    public void ValidateUpdate_TypeChanged_Immutable()
    {
        var old = Secret("Opaque");
        var updated = Secret("kubernetes.io/ssh-auth", ("ssh-privatekey", "k"));

        var errors = _strategy.ValidateUpdate(updated, old);

        Assert.Equal("type: Invalid value: \"kubernetes.io/ssh-auth\": field is immutable", Assert.Single(errors).ToString());
    }

    [Fact]
    public void ValidateUpdate_ImmutableSecretChanged_Forbidden()
    {
        var old = Secret("Opaque", ("a", "1"));
        old.Immutable = true;
        var updated = Secret("Opaque", ("a", "2"));
        var same = Secret("Opaque", ("a", "1"));
        same.Immutable = true;

        var errors = _strategy.ValidateUpdate(updated, old).Select(e => e.ToString());

        Assert.Equal(["immutable: Forbidden: field is immutable when `immutable` is set", "data: Forbidden: field is immutable when `immutable` is set"], errors);
        Assert.Empty(_strategy.ValidateUpdate(same, old));
    }

    private static V1Secret Secret(string? type, params (string Key, string Value)[] data) => new()
    {
        Metadata = new V1ObjectMeta { Name = "s", NamespaceProperty = "default", ResourceVersion = "1", Uid = "u" },
        Type = type,
        Data = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value)),
    };
}
