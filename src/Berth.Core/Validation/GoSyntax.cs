using System.Globalization;
using System.Text;
using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Validation;

/// <summary>
/// Renders values the way Go's <c>%#v</c> prints Kubernetes' internal types, because
/// <c>field.Error</c> falls back to <c>%#v</c> for slices, maps and structs and clients see that text.
/// </summary>
public static class GoSyntax
{
    /// <summary><c>[]string{"a", "b"}</c>; <c>[]string(nil)</c> for null.</summary>
    public static string StringSlice(IEnumerable<string>? values, string type = "[]string") =>
        values is null ? type + "(nil)" : type + "{" + string.Join(", ", values.Select(FieldError.Quote)) + "}";

    /// <summary><c>map[string]string{"a":"b"}</c> with keys sorted as <c>fmt</c> sorts them; <c>map[string]string(nil)</c> for null.</summary>
    public static string StringMap(IDictionary<string, string>? map) =>
        map is null
            ? "map[string]string(nil)"
            : "map[string]string{" + string.Join(", ", map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => FieldError.Quote(kv.Key) + ":" + FieldError.Quote(kv.Value))) + "}";

    /// <summary>A pointer to a string-like value dereferenced as <c>field.Error</c> does: the quoted value, or <c>"null"</c>.</summary>
    public static string Pointer(string? value) => FieldError.Quote(value ?? "null");

    /// <summary><c>v1.LabelSelector{MatchLabels:…, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}</c>.</summary>
    public static string LabelSelector(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return "null";
        }

        var sb = new StringBuilder("v1.LabelSelector{MatchLabels:").Append(StringMap(selector.MatchLabels)).Append(", MatchExpressions:");
        if (selector.MatchExpressions is null)
        {
            sb.Append("[]v1.LabelSelectorRequirement(nil)");
        }
        else
        {
            sb.Append("[]v1.LabelSelectorRequirement{")
              .Append(string.Join(", ", selector.MatchExpressions.Select(r =>
                  "v1.LabelSelectorRequirement{Key:" + FieldError.Quote(r.Key ?? "") + ", Operator:" + FieldError.Quote(r.OperatorProperty ?? "") +
                  ", Values:" + StringSlice(r.Values) + "}")))
              .Append('}');
        }

        return sb.Append('}').ToString();
    }

    /// <summary>
    /// The internal <c>core.ServicePort</c> key built by <c>ValidateService</c> for a duplicate
    /// <c>(protocol, port)</c>: only Protocol and Port are set, every other field is its zero value.
    /// </summary>
    public static string ServicePortKey(string protocol, int port) =>
        "core.ServicePort{Name:\"\", Protocol:" + FieldError.Quote(protocol) + ", AppProtocol:(*string)(nil), Port:" +
        port.ToString(CultureInfo.InvariantCulture) + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}";
}
