using System.Text.Json;
using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The Secret strategy: <c>stringData</c> merged into <c>data</c> (Kubernetes' <c>Convert_v1_Secret_To_core_Secret</c>:
/// stringData wins and is never stored), <c>SetDefaults_Secret</c>, and <c>ValidateSecret</c> /
/// <c>ValidateSecretUpdate</c> (pkg/apis/core/validation/validation.go).
/// </summary>
public sealed class SecretStrategy : ResourceStrategy<V1Secret>
{
    public const string Opaque = "Opaque";
    public const string ServiceAccountTokenType = "kubernetes.io/service-account-token";
    public const string DockercfgType = "kubernetes.io/dockercfg";
    public const string DockerConfigJsonType = "kubernetes.io/dockerconfigjson";
    public const string BasicAuthType = "kubernetes.io/basic-auth";
    public const string SshAuthType = "kubernetes.io/ssh-auth";
    public const string TlsType = "kubernetes.io/tls";
    public const string BootstrapTokenType = "bootstrap.kubernetes.io/token";

    /// <summary>The annotation naming the service account of a token Secret (<c>core.ServiceAccountNameKey</c>).</summary>
    public const string ServiceAccountNameAnnotation = "kubernetes.io/service-account.name";

    /// <summary>The annotation with the uid of that service account (<c>core.ServiceAccountUIDKey</c>).</summary>
    public const string ServiceAccountUidAnnotation = "kubernetes.io/service-account.uid";

    private const string Redacted = "<secret contents redacted>";
    private const string ImmutableDetail = "field is immutable when `immutable` is set";

    protected override void PrepareForCreate(V1Secret obj) => MergeStringData(obj);

    protected override void PrepareForUpdate(V1Secret obj, V1Secret old, bool statusOnly) => MergeStringData(obj);

    protected override void Default(V1Secret obj)
    {
        if (string.IsNullOrEmpty(obj.Type))
        {
            obj.Type = Opaque;
        }
    }

    protected override void Validate(V1Secret obj, List<FieldError> errors)
    {
        var data = FieldPath.Root("data");
        long total = 0;
        foreach (var (key, value) in (obj.Data ?? new Dictionary<string, byte[]>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            errors.AddRange(ContentValidation.IsConfigMapKey(key).Select(m => FieldError.Invalid(data.Key(key), key, m)));
            total += value?.Length ?? 0;
        }

        if (total > ConfigMapStrategy.MaxSize)
        {
            errors.Add(FieldError.TooLong(data, ConfigMapStrategy.MaxSize));
        }

        ValidateType(obj, data, errors);
    }

    protected override void ValidateUpdate(V1Secret obj, V1Secret old, List<FieldError> errors)
    {
        if (!string.Equals(obj.Type, old.Type, StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("type"), obj.Type, FieldValidators.FieldImmutable));
        }

        if (old.Immutable == true)
        {
            if (obj.Immutable != true)
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("immutable"), ImmutableDetail));
            }

            if (!SameData(obj.Data, old.Data))
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("data"), ImmutableDetail));
            }
        }

        Validate(obj, errors);
    }

    protected override string? GetSelectableField(V1Secret obj, string field) => field switch
    {
        "type" => obj.Type ?? "",
        _ => null,
    };

    /// <summary>The keys each type requires (<c>ValidateSecret</c>'s switch); other types are not checked.</summary>
    private static void ValidateType(V1Secret obj, FieldPath data, List<FieldError> errors)
    {
        var values = obj.Data ?? new Dictionary<string, byte[]>();
        switch (obj.Type)
        {
            case ServiceAccountTokenType:
                // Only the annotation is required; uid and data[token] may be filled in later by the token controller.
                if (obj.Metadata?.Annotations?.TryGetValue(ServiceAccountNameAnnotation, out var sa) != true || string.IsNullOrEmpty(sa))
                {
                    errors.Add(FieldError.Required(FieldPath.Root("metadata").Child("annotations").Key(ServiceAccountNameAnnotation)));
                }

                break;
            case DockercfgType:
                RequireJsonObject(values, ".dockercfg", data, errors);
                break;
            case DockerConfigJsonType:
                RequireJsonObject(values, ".dockerconfigjson", data, errors);
                break;
            case BasicAuthType:
                // Either may be empty, but one of them must be present.
                if (!values.ContainsKey("username") && !values.ContainsKey("password"))
                {
                    errors.Add(FieldError.Required(data.Key("username")));
                    errors.Add(FieldError.Required(data.Key("password")));
                }

                break;
            case SshAuthType:
                if (!values.TryGetValue("ssh-privatekey", out var privateKey) || privateKey is not { Length: > 0 })
                {
                    errors.Add(FieldError.Required(data.Key("ssh-privatekey")));
                }

                break;
            case TlsType:
                if (!values.ContainsKey("tls.crt"))
                {
                    errors.Add(FieldError.Required(data.Key("tls.crt")));
                }

                if (!values.ContainsKey("tls.key"))
                {
                    errors.Add(FieldError.Required(data.Key("tls.key")));
                }

                break;
        }
    }

    /// <summary>The key must be present and hold a JSON object (Go's <c>json.Unmarshal</c> into a map).</summary>
    private static void RequireJsonObject(IDictionary<string, byte[]> values, string key, FieldPath data, List<FieldError> errors)
    {
        if (!values.TryGetValue(key, out var bytes))
        {
            errors.Add(FieldError.Required(data.Key(key)));
            return;
        }

        if (JsonObjectError(bytes ?? []) is { } error)
        {
            errors.Add(FieldError.Invalid(data.Key(key), Redacted, error));
        }
    }

    /// <summary>Null for a JSON object (or <c>null</c>, which Go decodes into a nil map); otherwise a Go-like decode error.</summary>
    private static string? JsonObjectError(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return "unexpected end of JSON input";
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind switch
            {
                JsonValueKind.Object or JsonValueKind.Null => null,
                var kind => $"json: cannot unmarshal {GoJsonKind(kind)} into Go value of type map[string]interface {{}}",
            };
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }

    private static string GoJsonKind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "bool",
    };

    private static void MergeStringData(V1Secret obj)
    {
        if (obj.StringData is { Count: > 0 } strings)
        {
            obj.Data ??= new Dictionary<string, byte[]>();
            foreach (var (key, value) in strings)
            {
                obj.Data[key] = System.Text.Encoding.UTF8.GetBytes(value ?? "");
            }
        }

        obj.StringData = null;
    }

    private static bool SameData(IDictionary<string, byte[]>? a, IDictionary<string, byte[]>? b)
    {
        a ??= new Dictionary<string, byte[]>();
        b ??= new Dictionary<string, byte[]>();
        return a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && (kv.Value ?? []).AsSpan().SequenceEqual(other ?? []));
    }
}
