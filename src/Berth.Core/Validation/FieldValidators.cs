using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Validation;

/// <summary>
/// Field-level checks shared by every kind, each returning <see cref="FieldError"/>s at the given
/// path with the messages of <c>pkg/apis/core/validation</c> and apimachinery.
/// </summary>
public static class FieldValidators
{
    public const string FieldImmutable = "field is immutable";
    public const string IsNegative = "must be greater than or equal to 0";
    public const int TotalAnnotationSizeLimitBytes = 256 * 1024;

    public static IEnumerable<FieldError> DNS1123Label(string value, FieldPath path) =>
        ContentValidation.IsDNS1123Label(value).Select(m => FieldError.Invalid(path, value, m));

    public static IEnumerable<FieldError> DNS1123Subdomain(string value, FieldPath path) =>
        ContentValidation.IsDNS1123Subdomain(value).Select(m => FieldError.Invalid(path, value, m));

    public static IEnumerable<FieldError> QualifiedName(string value, FieldPath path) =>
        ContentValidation.IsQualifiedName(value).Select(m => FieldError.Invalid(path, value, m));

    /// <summary><c>ValidateLabels</c>: every key is a qualified name and every value a label value; errors sit on the map's path.</summary>
    public static IEnumerable<FieldError> Labels(IDictionary<string, string>? labels, FieldPath path)
    {
        if (labels is null)
        {
            yield break;
        }

        foreach (var (k, v) in labels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var e in QualifiedName(k, path))
            {
                yield return e;
            }

            foreach (var m in ContentValidation.IsValidLabelValue(v ?? ""))
            {
                yield return FieldError.Invalid(path, v, m);
            }
        }
    }

    /// <summary><c>ValidateAnnotations</c>: keys are qualified names (case-insensitively); total size ≤ 256 KiB.</summary>
    public static IEnumerable<FieldError> Annotations(IDictionary<string, string>? annotations, FieldPath path)
    {
        if (annotations is null)
        {
            yield break;
        }

        long total = 0;
        foreach (var (k, v) in annotations.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var m in ContentValidation.IsQualifiedName(k.ToLowerInvariant()))
            {
                yield return FieldError.Invalid(path, k, m);
            }

            total += System.Text.Encoding.UTF8.GetByteCount(k) + System.Text.Encoding.UTF8.GetByteCount(v ?? "");
        }

        if (total > TotalAnnotationSizeLimitBytes)
        {
            // field.TooLong's detail in v1.30+ (FieldError.TooLong words it differently).
            yield return new FieldError(FieldErrorType.TooLong, path.ToString(), null, "must have at most 262144 bytes");
        }
    }

    /// <summary><c>validation.IsValidIP</c> (field form).</summary>
    public static IEnumerable<FieldError> IP(string? value, FieldPath path)
    {
        if (IPAddresses.ParseSloppy(value) is null)
        {
            yield return FieldError.Invalid(path, value ?? "", "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }
    }

    public static IEnumerable<FieldError> IPv4(string? value, FieldPath path)
    {
        if (IPAddresses.FamilyOf(value) != IPAddresses.IPv4)
        {
            yield return FieldError.Invalid(path, value ?? "", "must be a valid IPv4 address");
        }
    }

    public static IEnumerable<FieldError> IPv6(string? value, FieldPath path)
    {
        if (IPAddresses.FamilyOf(value) != IPAddresses.IPv6)
        {
            yield return FieldError.Invalid(path, value ?? "", "must be a valid IPv6 address");
        }
    }

    /// <summary><c>validation.IsValidCIDR</c> (field form).</summary>
    public static IEnumerable<FieldError> CIDR(string? value, FieldPath path)
    {
        if (IPAddresses.ParseCIDRSloppy(value) is null)
        {
            yield return FieldError.Invalid(path, value ?? "", "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        }
    }

    /// <summary>
    /// <c>ValidateNonSpecialIP</c>: not unspecified, loopback, link-local or link-local multicast.
    /// <paramref name="allowLoopback"/> is Berth's deliberate difference for endpoint addresses: in host mode every
    /// pod lives on a loopback address (127.244.N.M), so Endpoints and EndpointSlices must accept 127.0.0.0/8.
    /// </summary>
    public static IEnumerable<FieldError> NonSpecialIP(string value, FieldPath path, bool allowLoopback = false)
    {
        var ip = IPAddresses.ParseSloppy(value);
        if (ip is null)
        {
            yield return FieldError.Invalid(path, value, "must be a valid IP address");
            yield break;
        }

        if (IPAddresses.IsUnspecified(ip))
        {
            yield return FieldError.Invalid(path, value, "may not be unspecified (" + value + ")");
        }

        if (!allowLoopback && IPAddresses.IsLoopback(ip))
        {
            yield return FieldError.Invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)");
        }

        if (IPAddresses.IsLinkLocalUnicast(ip))
        {
            yield return FieldError.Invalid(path, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)");
        }

        if (IPAddresses.IsLinkLocalMulticast(ip))
        {
            yield return FieldError.Invalid(path, value, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
        }
    }

    public static IEnumerable<FieldError> NonNegative(long value, FieldPath path)
    {
        if (value < 0)
        {
            yield return FieldError.Invalid(path, value, IsNegative);
        }
    }

    /// <summary><c>ValidatePortNumOrName</c>: a number in 1..65535 or an IANA port name.</summary>
    public static IEnumerable<FieldError> PortNumOrName(IntOrString? port, FieldPath path)
    {
        var value = port?.Value ?? "0";
        if (int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            return ContentValidation.IsValidPortNum(n).Select(m => FieldError.Invalid(path, n, m));
        }

        return ContentValidation.IsValidPortName(value).Select(m => FieldError.Invalid(path, value, m));
    }

    /// <summary><c>ValidateLabelSelector</c> of meta/v1 (strict label values).</summary>
    public static IEnumerable<FieldError> LabelSelector(V1LabelSelector? selector, FieldPath path)
    {
        if (selector is null)
        {
            yield break;
        }

        var expressions = selector.MatchExpressions ?? [];
        for (var i = 0; i < expressions.Count; i++)
        {
            var r = expressions[i];
            var p = path.Child("matchExpressions").Index(i);
            switch (r.OperatorProperty)
            {
                case "In" or "NotIn":
                    if (r.Values is null || r.Values.Count == 0)
                    {
                        yield return FieldError.Required(p.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
                    }

                    break;
                case "Exists" or "DoesNotExist":
                    if (r.Values is { Count: > 0 })
                    {
                        yield return FieldError.Forbidden(p.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    }

                    break;
                default:
                    yield return FieldError.Invalid(p.Child("operator"), r.OperatorProperty, "not a valid selector operator");
                    break;
            }

            foreach (var e in QualifiedName(r.Key ?? "", p.Child("key")))
            {
                yield return e;
            }

            var values = r.Values ?? [];
            for (var j = 0; j < values.Count; j++)
            {
                foreach (var m in ContentValidation.IsValidLabelValue(values[j] ?? ""))
                {
                    yield return FieldError.Invalid(p.Child("values").Index(j), values[j], m);
                }
            }
        }

        foreach (var e in Labels(selector.MatchLabels, path.Child("matchLabels")))
        {
            yield return e;
        }
    }
}
