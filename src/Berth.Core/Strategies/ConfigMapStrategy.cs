using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>The ConfigMap strategy (<c>ValidateConfigMap</c> / <c>ValidateConfigMapUpdate</c>).</summary>
public sealed class ConfigMapStrategy : ResourceStrategy<V1ConfigMap>
{
    /// <summary><c>core.MaxSecretSize</c>, shared by ConfigMaps.</summary>
    public const int MaxSize = 1024 * 1024;

    protected override void Validate(V1ConfigMap obj, List<FieldError> errors)
    {
        long total = 0;
        foreach (var (key, value) in (obj.Data ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var path = FieldPath.Root("data").Key(key);
            errors.AddRange(ContentValidation.IsConfigMapKey(key).Select(m => FieldError.Invalid(path, key, m)));
            if (obj.BinaryData?.ContainsKey(key) == true)
            {
                errors.Add(FieldError.Invalid(path, key, "duplicate of key present in binaryData"));
            }

            total += System.Text.Encoding.UTF8.GetByteCount(value ?? "");
        }

        foreach (var (key, value) in (obj.BinaryData ?? new Dictionary<string, byte[]>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var path = FieldPath.Root("binaryData").Key(key);
            errors.AddRange(ContentValidation.IsConfigMapKey(key).Select(m => FieldError.Invalid(path, key, m)));
            total += value?.Length ?? 0;
        }

        if (total > MaxSize)
        {
            errors.Add(new FieldError(FieldErrorType.TooLong, "", null, "must have at most 1048576 bytes"));
        }
    }

    protected override void ValidateUpdate(V1ConfigMap obj, V1ConfigMap old, List<FieldError> errors)
    {
        if (old.Immutable == true)
        {
            const string detail = "field is immutable when `immutable` is set";
            if (obj.Immutable != true)
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("immutable"), detail));
            }

            if (!ModelCopy.SemanticEqual(obj.Data, old.Data))
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("data"), detail));
            }

            if (!ModelCopy.SemanticEqual(obj.BinaryData, old.BinaryData))
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("binaryData"), detail));
            }
        }

        Validate(obj, errors);
    }
}
