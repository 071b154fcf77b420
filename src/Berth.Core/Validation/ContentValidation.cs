using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Core.Validation;

/// <summary>
/// The string checks of apimachinery <c>pkg/util/validation/validation.go</c> (and
/// <c>pkg/api/validate/content</c>), with the same messages as the v1.30–v1.34 releases. Each
/// returns the list of problems, empty when the value is valid.
/// </summary>
public static partial class ContentValidation
{
    public const int DNS1123LabelMaxLength = 63;
    public const int DNS1123SubdomainMaxLength = 253;
    public const int DNS1035LabelMaxLength = 63;
    public const int LabelValueMaxLength = 63;
    public const int QualifiedNameMaxLength = 63;

    private const string DNS1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string DNS1123LabelErrMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private const string DNS1123SubdomainFmt = DNS1123LabelFmt + "(\\." + DNS1123LabelFmt + ")*";
    private const string DNS1123SubdomainErrMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private const string DNS1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private const string DNS1035LabelErrMsg = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    private const string QualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string QualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string LabelValueFmt = "(" + QualifiedNameFmt + ")?";
    private const string LabelValueErrMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string ConfigMapKeyFmt = "[-._a-zA-Z0-9]+";
    private const string ConfigMapKeyErrMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

    public static IReadOnlyList<string> IsDNS1123Label(string value)
    {
        var errs = new List<string>();
        if (value.Length > DNS1123LabelMaxLength)
        {
            errs.Add(MaxLenError(DNS1123LabelMaxLength));
        }

        if (!DNS1123LabelRegex().IsMatch(value))
        {
            errs.Add(DNS1123SubdomainRegex().IsMatch(value)
                ? "must not contain dots"
                : RegexError(DNS1123LabelErrMsg, DNS1123LabelFmt, "my-name", "123-abc"));
        }

        return errs;
    }

    public static IReadOnlyList<string> IsDNS1123Subdomain(string value)
    {
        var errs = new List<string>();
        if (value.Length > DNS1123SubdomainMaxLength)
        {
            errs.Add(MaxLenError(DNS1123SubdomainMaxLength));
        }

        if (!DNS1123SubdomainRegex().IsMatch(value))
        {
            errs.Add(RegexError(DNS1123SubdomainErrMsg, DNS1123SubdomainFmt, "example.com"));
        }

        return errs;
    }

    public static IReadOnlyList<string> IsDNS1035Label(string value)
    {
        var errs = new List<string>();
        if (value.Length > DNS1035LabelMaxLength)
        {
            errs.Add(MaxLenError(DNS1035LabelMaxLength));
        }

        if (!DNS1035LabelRegex().IsMatch(value))
        {
            errs.Add(RegexError(DNS1035LabelErrMsg, DNS1035LabelFmt, "my-name", "abc-123"));
        }

        return errs;
    }

    /// <summary>A label key / annotation key / qualified name: optional DNS-subdomain prefix and '/', then a name.</summary>
    public static IReadOnlyList<string> IsQualifiedName(string value)
    {
        var errs = new List<string>();
        var parts = value.Split('/');
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
                    errs.Add("prefix part " + EmptyError);
                }
                else
                {
                    errs.AddRange(IsDNS1123Subdomain(prefix).Select(m => "prefix part " + m));
                }

                break;
            default:
                errs.Add("a qualified name " + RegexError(QualifiedNameErrMsg, QualifiedNameFmt, "MyName", "my.name", "123-abc") +
                    " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errs;
        }

        if (name.Length == 0)
        {
            errs.Add("name part " + EmptyError);
        }
        else if (name.Length > QualifiedNameMaxLength)
        {
            errs.Add("name part " + MaxLenError(QualifiedNameMaxLength));
        }

        if (!QualifiedNameRegex().IsMatch(name))
        {
            errs.Add("name part " + RegexError(QualifiedNameErrMsg, QualifiedNameFmt, "MyName", "my.name", "123-abc"));
        }

        return errs;
    }

    public static IReadOnlyList<string> IsValidLabelValue(string value)
    {
        var errs = new List<string>();
        if (value.Length > LabelValueMaxLength)
        {
            errs.Add(MaxLenError(LabelValueMaxLength));
        }

        if (!LabelValueRegex().IsMatch(value))
        {
            errs.Add(RegexError(LabelValueErrMsg, LabelValueFmt, "MyValue", "my_value", "12345"));
        }

        return errs;
    }

    /// <summary>An IANA service name as used for named ports: ≤15 chars of <c>[-a-z0-9]</c>, ≥1 letter, no <c>--</c>, no hyphen at either end.</summary>
    public static IReadOnlyList<string> IsValidPortName(string port)
    {
        var errs = new List<string>();
        if (port.Length > 15)
        {
            errs.Add(MaxLenError(15));
        }

        if (port.Length == 0 || !port.All(c => c is '-' or (>= 'a' and <= 'z') or (>= '0' and <= '9')))
        {
            errs.Add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }

        if (!port.Any(c => c is >= 'a' and <= 'z'))
        {
            errs.Add("must contain at least one letter (a-z)");
        }

        if (port.Contains("--", StringComparison.Ordinal))
        {
            errs.Add("must not contain consecutive hyphens");
        }

        if (port.Length > 0 && (port[0] == '-' || port[^1] == '-'))
        {
            errs.Add("must not begin or end with a hyphen");
        }

        return errs;
    }

    public static IReadOnlyList<string> IsValidPortNum(long port) =>
        port is >= 1 and <= 65535 ? [] : [InclusiveRangeError(1, 65535)];

    public static IReadOnlyList<string> IsInRange(long value, long min, long max) =>
        value >= min && value <= max ? [] : [InclusiveRangeError(min, max)];

    public static IReadOnlyList<string> IsConfigMapKey(string value)
    {
        var errs = new List<string>();
        if (value.Length > DNS1123SubdomainMaxLength)
        {
            errs.Add(MaxLenError(DNS1123SubdomainMaxLength));
        }

        if (!ConfigMapKeyRegex().IsMatch(value))
        {
            errs.Add(RegexError(ConfigMapKeyErrMsg, ConfigMapKeyFmt, "key.name", "KEY_NAME", "key-name"));
        }

        if (value == ".")
        {
            errs.Add("must not be '.'");
        }
        else if (value == "..")
        {
            errs.Add("must not be '..'");
        }
        else if (value.StartsWith("..", StringComparison.Ordinal))
        {
            errs.Add("must not start with '..'");
        }

        return errs;
    }

    public const string EmptyError = "must be non-empty";

    public static string MaxLenError(int length) => "must be no more than " + length.ToString(CultureInfo.InvariantCulture) + " characters";

    public static string InclusiveRangeError(long lo, long hi) =>
        string.Create(CultureInfo.InvariantCulture, $"must be between {lo} and {hi}, inclusive");

    public static string RegexError(string msg, string fmt, params string[] examples)
    {
        if (examples.Length == 0)
        {
            return msg + " (regex used for validation is '" + fmt + "')";
        }

        var s = msg + " (e.g. ";
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0)
            {
                s += " or ";
            }

            s += "'" + examples[i] + "', ";
        }

        return s + "regex used for validation is '" + fmt + "')";
    }

    [GeneratedRegex("^" + DNS1123LabelFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex DNS1123LabelRegex();

    [GeneratedRegex("^" + DNS1123SubdomainFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex DNS1123SubdomainRegex();

    [GeneratedRegex("^" + DNS1035LabelFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex DNS1035LabelRegex();

    [GeneratedRegex("^" + QualifiedNameFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedNameRegex();

    [GeneratedRegex("^" + LabelValueFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValueRegex();

    [GeneratedRegex("^" + ConfigMapKeyFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigMapKeyRegex();
}
