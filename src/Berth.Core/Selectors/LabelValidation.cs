using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Core.Selectors;

/// <summary>
/// Label key and value validation with Kubernetes' messages
/// (apimachinery <c>pkg/api/validate/content/kube.go</c> and <c>dns.go</c>).
/// </summary>
internal static partial class LabelValidation
{
    private const string LabelKeyFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string LabelKeyErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string LabelValueFmt = "(" + LabelKeyFmt + ")?";
    private const string LabelValueErrMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string Dns1123SubdomainFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private const string Dns1123SubdomainErrMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private const int LabelKeyMaxLength = 63;
    private const int LabelValueMaxLength = 63;
    private const int Dns1123SubdomainMaxLength = 253;

    /// <summary>Errors of <c>content.IsLabelKey</c> (a qualified name); empty when valid.</summary>
    public static List<string> ValidateKey(string key)
    {
        var errors = new List<string>();
        var parts = key.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                var prefix = parts[0];
                name = parts[1];
                if (prefix.Length == 0)
                {
                    errors.Add("prefix part must be non-empty");
                }
                else
                {
                    if (prefix.Length > Dns1123SubdomainMaxLength)
                    {
                        errors.Add("prefix part " + MaxLenError(Dns1123SubdomainMaxLength));
                    }

                    if (!Dns1123SubdomainRegex().IsMatch(prefix))
                    {
                        errors.Add("prefix part " + RegexError(Dns1123SubdomainErrMsg, Dns1123SubdomainFmt, "example.com"));
                    }
                }

                break;
            default:
                errors.Add("a valid label key " + RegexError(LabelKeyErrMsg, LabelKeyFmt, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errors;
        }

        if (name.Length == 0)
        {
            errors.Add("name part must be non-empty");
        }
        else if (name.Length > LabelKeyMaxLength)
        {
            errors.Add("name part " + MaxLenError(LabelKeyMaxLength));
        }

        if (!LabelKeyRegex().IsMatch(name))
        {
            errors.Add("name part " + RegexError(LabelKeyErrMsg, LabelKeyFmt, "MyName", "my.name", "123-abc"));
        }

        return errors;
    }

    /// <summary>Errors of <c>content.IsLabelValue</c>; empty when valid.</summary>
    public static List<string> ValidateValue(string value)
    {
        var errors = new List<string>();
        if (value.Length > LabelValueMaxLength)
        {
            errors.Add(MaxLenError(LabelValueMaxLength));
        }

        if (!LabelValueRegex().IsMatch(value))
        {
            errors.Add(RegexError(LabelValueErrMsg, LabelValueFmt, "MyValue", "my_value", "12345"));
        }

        return errors;
    }

    /// <summary>A <c>field.Invalid</c> error as text: <c>path: Invalid value: "v": detail; detail</c>.</summary>
    public static string Invalid(string? path, string value, IEnumerable<string> details) =>
        (path ?? "<nil>") + ": Invalid value: " + Quote(value) + ": " + string.Join("; ", details);

    /// <summary>A list of values as Go's <c>json.Marshal</c> renders a bad value.</summary>
    public static string JsonList(IReadOnlyList<string> values) => "[" + string.Join(",", values.Select(Quote)) + "]";

    /// <summary>A double-quoted string with Go <c>%q</c>-style escapes for quotes, backslashes and control characters.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    private static string MaxLenError(int length) => $"must be no more than {length} bytes";

    private static string RegexError(string msg, string re, params string[] examples) =>
        msg + " (e.g. " + string.Concat(examples.Select((e, i) => (i > 0 ? " or " : string.Empty) + "'" + e + "', "))
        + "regex used for validation is '" + re + "')";

    // Go's regexp and .NET agree on these patterns; '$' is written as \z so a trailing newline never matches.
    [GeneratedRegex("^" + LabelKeyFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelKeyRegex();

    [GeneratedRegex("^" + LabelValueFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValueRegex();

    [GeneratedRegex("^" + Dns1123SubdomainFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123SubdomainRegex();
}
