using System.Globalization;

namespace Berth.Agnhost.Cli;

/// <summary>
/// The command line rules of agnhost (cobra over spf13/pflag): <c>--name=value</c>, <c>--name value</c>, a bare
/// <c>--bool</c> meaning true, <c>--</c> ending flags, positional arguments anywhere. Every subcommand also accepts
/// (and ignores) the klog flags agnhost registers on its root command, since some tests pass them.
/// </summary>
internal sealed class FlagSet(string command)
{
    // k8s.io/klog/v2 InitFlags: added to agnhost's root as persistent flags.
    private static readonly string[] _klogValueFlags = ["v", "vmodule", "log_dir", "log_file", "log_file_max_size", "stderrthreshold", "log_backtrace_at"];
    private static readonly string[] _klogBoolFlags = ["logtostderr", "alsologtostderr", "add_dir_header", "skip_headers", "one_output", "skip_log_headers"];

    private readonly Dictionary<string, Flag> _flags = new(StringComparer.Ordinal);

    public string Command => command;

    public List<string> Positional { get; } = [];

    public bool HelpRequested { get; private set; }

    public void Int(string name, int defaultValue, string usage) => _flags[name] = new Flag(name, FlagKind.Int, defaultValue.ToString(CultureInfo.InvariantCulture), usage);

    public void Bool(string name, bool defaultValue, string usage) => _flags[name] = new Flag(name, FlagKind.Bool, defaultValue ? "true" : "false", usage);

    public void String(string name, string defaultValue, string usage) => _flags[name] = new Flag(name, FlagKind.String, defaultValue, usage);

    public int GetInt(string name) => int.Parse(_flags[name].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public bool GetBool(string name) => _flags[name].Value == "true";

    public string GetString(string name) => _flags[name].Value;

    /// <summary>Parses <paramref name="args"/>; the error is cobra's message, or null.</summary>
    public string? Parse(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                Positional.AddRange(args.Skip(i + 1));
                break;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                Positional.Add(arg);
                continue;
            }

            var isLong = arg.StartsWith("--", StringComparison.Ordinal);
            var body = isLong ? arg[2..] : arg[1..];
            var eq = body.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? body : body[..eq];
            string? inline = eq < 0 ? null : body[(eq + 1)..];

            // pflag: a single dash takes one-letter shorthands only (here -h and klog's -v).
            if (!isLong && name is not ("h" or "v"))
            {
                return "unknown shorthand flag: " + GoQuoteChar(name[0]) + " in " + arg;
            }

            if (name is "h" or "help")
            {
                HelpRequested = true;
                continue;
            }

            if (_klogBoolFlags.Contains(name))
            {
                continue;
            }

            if (_klogValueFlags.Contains(name))
            {
                if (inline is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        return "flag needs an argument: --" + name;
                    }

                    i++;
                }

                continue;
            }

            if (!_flags.TryGetValue(name, out var flag))
            {
                return isLong ? "unknown flag: --" + name : "unknown shorthand flag: " + GoQuoteChar(name[0]) + " in " + arg;
            }

            string value;
            if (inline is not null)
            {
                value = inline;
            }
            else if (flag.Kind == FlagKind.Bool)
            {
                value = "true";
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                return "flag needs an argument: --" + name;
            }

            var error = flag.Set(value);
            if (error is not null)
            {
                return "invalid argument " + Go.GoText.Quote(value) + " for \"--" + name + "\" flag: " + error;
            }
        }

        return null;
    }

    /// <summary>The flag lines of the usage text.</summary>
    public string Describe()
    {
        var lines = _flags.Values.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f =>
            "      --" + f.Name + (f.Kind == FlagKind.Bool ? string.Empty : " " + (f.Kind == FlagKind.Int ? "int" : "string")) + "  " + f.Usage
            + (f.Kind == FlagKind.Bool && f.Value == "false" || f.Kind == FlagKind.String && f.Value.Length == 0 ? string.Empty : " (default " + f.Value + ")"));
        return string.Join('\n', lines.Append("  -h, --help  help for " + command));
    }

    private static string GoQuoteChar(char c) => "'" + c + "'";

    private enum FlagKind
    {
        Int,
        Bool,
        String,
    }

    private sealed class Flag(string name, FlagKind kind, string value, string usage)
    {
        public string Name => name;

        public FlagKind Kind => kind;

        public string Usage => usage;

        public string Value { get; private set; } = value;

        public string? Set(string text)
        {
            switch (kind)
            {
                case FlagKind.Int:
                    if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                    {
                        return "strconv.ParseInt: parsing " + Go.GoText.Quote(text) + ": invalid syntax";
                    }

                    Value = n.ToString(CultureInfo.InvariantCulture);
                    return null;
                case FlagKind.Bool:
                    // strconv.ParseBool
                    Value = text switch
                    {
                        "1" or "t" or "T" or "true" or "TRUE" or "True" => "true",
                        "0" or "f" or "F" or "false" or "FALSE" or "False" => "false",
                        _ => string.Empty,
                    };
                    return Value.Length == 0 ? "strconv.ParseBool: parsing " + Go.GoText.Quote(text) + ": invalid syntax" : null;
                default:
                    Value = text;
                    return null;
            }
        }
    }
}
