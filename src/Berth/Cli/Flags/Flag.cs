using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;

namespace Berth.Cli.Flags;

/// <summary>
/// Typed flags with Berth's own parsing and messages (<c>--api-port: not a port number: x</c>). Every value is checked
/// for looking like a flag, so <c>--data-dir --api-port</c> is an error rather than a directory named <c>--api-port</c>.
/// A flag that is not given reads as null (or an empty array): the options classes keep their own defaults.
/// </summary>
internal static class Flag
{
    public static Option<string?> Text(string name, string valueName, string description, bool allowEmpty = false) =>
        Single<string?>(name, valueName, description, t => allowEmpty || t.Length > 0 ? t : null, "empty");

    public static Option<string[]> Texts(string name, string valueName, string description) =>
        List(name, valueName, description, (string t, out string v) => (v = t).Length > 0, "empty", commaSeparated: false);

    /// <summary>A file that must exist; its full path.</summary>
    public static Option<string?> ExistingFile(string name, string valueName, string description) =>
        Single<string?>(name, valueName, description, t => File.Exists(t) ? Path.GetFullPath(t) : null, "an existing file");

    public static Option<int?> Port(string name, string description) =>
        Single<int?>(name, "PORT", description, t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535 ? p : null, "a port number (0–65535)");

    public static Option<int?> Number(string name, string valueName, string description, int min, int max) =>
        Single<int?>(name, valueName, description, t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null, $"a number from {min} to {max}");

    public static Option<TimeSpan?> Duration(string name, string description) =>
        Single(name, "DURATION", description, GoDuration.TryParse, "a duration (like 40s, 1m30s, 500ms)");

    public static Option<IPAddress?> Address(string name, string description) =>
        Single<IPAddress?>(name, "IP", description, t => IPAddress.TryParse(t, out var ip) ? ip : null, "an IP address");

    /// <summary>Repeatable, and each value may be a comma-separated list.</summary>
    public static Option<IPAddress[]> Addresses(string name, string valueName, string description) =>
        List(name, valueName, description, (string t, out IPAddress v) => IPAddress.TryParse(t, out v!), "an IP address", commaSeparated: true);

    public static Option<IPNetwork?> Cidr(string name, string description) =>
        Single<IPNetwork?>(name, "CIDR", description, t => IPNetwork.TryParse(t, out var n) ? n : null, "a CIDR (like 10.0.0.0/8)");

    public static Option<IPNetwork[]> Cidrs(string name, string description) =>
        List<IPNetwork>(name, "CIDR", description, IPNetwork.TryParse, "a CIDR (like 10.0.0.0/8)", commaSeparated: false);

    public static Option<IPEndPoint?> Endpoint(string name, string description) =>
        Single<IPEndPoint?>(name, "IP:PORT", description, t => t.Contains(':', StringComparison.Ordinal) && IPEndPoint.TryParse(t, out var e) ? e : null, "IP:PORT");

    /// <summary>One of <paramref name="choices"/> (offered by shell completion), as spelled there.</summary>
    public static Option<string?> Choice(string name, string valueName, string description, params string[] choices) => Choice(name, valueName, description, StringComparer.Ordinal, choices);

    /// <summary>One of <paramref name="choices"/> as <paramref name="comparer"/> compares; the value is the choice's own spelling.</summary>
    public static Option<string?> Choice(string name, string valueName, string description, StringComparer comparer, params string[] choices)
    {
        var option = Single<string?>(name, valueName, description, t => choices.FirstOrDefault(c => comparer.Equals(c, t)), string.Join(", ", choices[..^1]) + " or " + choices[^1]);
        option.CompletionSources.Add(choices);
        return option;
    }

    /// <summary>A flag without a value (<c>--yes</c>); in a config file <c>true</c> or <c>false</c>.</summary>
    public static Option<bool> Switch(string name, string? alias, string description)
    {
        var option = alias is null ? new Option<bool>(name) : new Option<bool>(name, alias);
        option.Description = description;
        return option;
    }

    /// <summary>A value that starts like a flag (<c>--port</c>, <c>-w</c>); a negative number does not.</summary>
    public static bool LooksLikeFlag(string value) => value.Length > 1 && value[0] == '-' && !char.IsAsciiDigit(value[1]);

    private static Option<T> Single<T>(string name, string valueName, string description, Func<string, T> convert, string expected)
    {
        var option = new Option<T>(name) { Description = description, HelpName = valueName };
        option.CustomParser = result => result.Tokens is [var token] ? Convert(result, name, token.Value, convert, expected) : default!;
        return option;
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static Option<T[]> List<T>(string name, string valueName, string description, TryParse<T> convert, string expected, bool commaSeparated)
    {
        var option = new Option<T[]>(name)
        {
            Description = description,
            HelpName = valueName,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        option.CustomParser = result =>
        {
            var values = new List<T>();
            foreach (var token in result.Tokens)
            {
                var parts = commaSeparated ? token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [token.Value];
                foreach (var part in parts)
                {
                    if (Convert(result, name, part, t => convert(t, out var value) ? new Box<T>(value) : null, expected) is { } box)
                    {
                        values.Add(box.Value);
                    }
                }
            }

            return [.. values];
        };
        return option;
    }

    private sealed record Box<T>(T Value);

    private static T Convert<T>(ArgumentResult result, string name, string text, Func<string, T> convert, string expected)
    {
        if (LooksLikeFlag(text))
        {
            result.AddError($"{name} needs a value, but {text} follows it");
            return default!;
        }

        var value = convert(text);
        if (value is null)
        {
            result.AddError(text.Length == 0 ? $"{name}: needs a value, not an empty one" : $"{name}: not {expected}: {text}");
        }

        return value;
    }
}
