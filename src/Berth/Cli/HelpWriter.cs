using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text;
using Berth.Cli.Flags;

namespace Berth.Cli;

/// <summary>
/// <c>--help</c> as Berth writes it: a command's synopsis, its flags in titled groups (<see cref="FlagCommand"/>), and
/// notes; for <c>berth</c> itself the commands. Wrapped at a fixed width, so the README's copy (checked by a test) is
/// the same on every terminal.
/// </summary>
internal sealed class HelpWriter : SynchronousCommandLineAction
{
    public const int Width = 110;

    /// <summary>The widest label column; a longer label gets a line of its own.</summary>
    private const int MaxColumn = 34;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        Console.Out.Write(Render(parseResult.CommandResult.Command));
        return 0;
    }

    /// <summary>The help text of <paramref name="command"/>.</summary>
    public static string Render(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var text = new StringBuilder();
        if (command is RootCommand root)
        {
            Paragraph(text, "berth — " + root.Description);
            text.AppendLine("usage: berth <command> [flags]").AppendLine();
            text.AppendLine("commands:");
            Rows(text, [.. root.Subcommands.Where(c => !c.Hidden).Select(c => (c.Name, c.Description ?? ""))]);
            text.AppendLine();
            text.AppendLine("`berth <command> --help` shows a command's flags. Exit codes: 0 done, 1 failed (a held data directory or");
            text.AppendLine("address range, a busy port, a stopped controller), 2 the command line is wrong.");
            return text.ToString();
        }

        Paragraph(text, $"berth {command.Name} — {command.Description}");
        var usage = command is FlagCommand flagged ? flagged.Usage : command.Name + string.Concat(command.Arguments.Select(a => $" <{a.Name}>")) + " [flags]";
        text.Append("usage: berth ").AppendLine(usage);
        var grouped = command is FlagCommand flagCommand ? flagCommand.Groups : [];
        var rest = command.Options.Where(o => !grouped.Any(g => g.Options.Contains(o))).ToList();
        List<(string Title, List<(string, string)> Rows)> rows = [.. grouped.Select(g => (g.Title, g.Options.Where(o => !o.Hidden).Select(o => (Label(o), o.Description ?? "")).ToList()))];
        if (rows.Count == 0 || rest.Count > 0)
        {
            rows.Add((rows.Count == 0 ? "flags" : "other flags", [.. rest.Where(o => !o.Hidden).Select(o => (Label(o), o.Description ?? ""))]));
        }

        rows[^1].Rows.Add(("-h, --help", "show this help"));
        var column = Math.Min(MaxColumn, rows.SelectMany(g => g.Rows).Select(r => r.Item1.Length).Max());
        foreach (var (title, groupRows) in rows)
        {
            text.AppendLine().Append(title).AppendLine(":");
            Rows(text, groupRows, column);
        }

        if (command is FlagCommand { Notes.Length: > 0 } noted)
        {
            text.AppendLine().Append(noted.Notes.TrimEnd()).AppendLine();
        }

        return text.ToString();
    }

    /// <summary><c>-w, --watch</c>, <c>--data-dir DIR</c>.</summary>
    private static string Label(Option option)
    {
        var names = string.Join(", ", option.Aliases.Order(StringComparer.Ordinal).Append(option.Name));
        return option.Arity.MaximumNumberOfValues == 0 || option.ValueType == typeof(bool) ? names : $"{names} {option.HelpName ?? "VALUE"}";
    }

    private static void Paragraph(StringBuilder text, string paragraph)
    {
        foreach (var line in Wrap(paragraph, Width))
        {
            text.AppendLine(line);
        }

        text.AppendLine();
    }

    private static void Rows(StringBuilder text, IReadOnlyList<(string Label, string Description)> rows, int column = 0)
    {
        column = column > 0 ? column : Math.Min(MaxColumn, rows.Select(r => r.Label.Length).DefaultIfEmpty(0).Max());
        var indent = new string(' ', column + 4);
        foreach (var (label, description) in rows)
        {
            var lines = Wrap(description, Math.Max(30, Width - indent.Length));
            if (label.Length > column)
            {
                // A label wider than the column gets a line of its own.
                text.Append("  ").AppendLine(label);
                lines.ForEach(l => text.Append(indent).AppendLine(l));
                continue;
            }

            text.Append("  ").Append(label.PadRight(column)).Append("  ").AppendLine(lines.FirstOrDefault() ?? "");
            foreach (var line in lines.Skip(1))
            {
                text.Append(indent).AppendLine(line);
            }
        }
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : "").Append(word);
        }

        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }

        return lines;
    }
}
