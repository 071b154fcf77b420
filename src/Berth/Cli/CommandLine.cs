using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Berth.Cli.Flags;

namespace Berth.Cli;

/// <summary>
/// The <c>berth</c> command line (System.CommandLine): the commands, <c>--config</c> files, and what a wrong command line
/// gets — one line naming the problem and a pointer to <c>--help</c>, exit code 2.
/// </summary>
internal static class CommandLine
{
    /// <summary>Exit code of a wrong command line.</summary>
    public const int UsageExit = 2;

    private static readonly ParserConfiguration _parser = new() { ResponseFileTokenReplacer = null };

    /// <summary>Every command of <c>berth</c>.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("Kubernetes Services made real for local processes: one program with a Kubernetes API server, the controllers, and a node that runs pods as processes, with a service proxy and cluster DNS")
        {
            ServeCommand.Up(),
            ServeCommand.Server(),
            AgentCommand.Create(),
            StatusCommand.Create(),
            KubeconfigCommand.Create(),
            ResetCommand.Create(),
            ProxyTraceCommand.Create(),
            VersionCommand.Create(),
            CompletionCommand.Create(),
            AgnhostCommand.Create(),
        };
        var help = root.Options.OfType<HelpOption>().Single();
        root.Options.Remove(help);
        root.Options.Add(new HelpOption("--help", "-h") { Description = "show this help", Action = new HelpWriter() });
        root.Options.OfType<VersionOption>().Single().Action = new VersionCommand();
        root.Add(HelpCommand(root));
        return root;
    }

    /// <summary>Parses <paramref name="args"/> (and a <c>--config</c> file) and runs the command.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="stop">SIGINT/SIGTERM: the commands stop in order when it fires.</param>
    public static async Task<int> RunAsync(string[] args, CancellationToken stop)
    {
        var root = Build();
        var parsed = root.Parse(args, _parser);
        IReadOnlySet<Option> fromFile = new HashSet<Option>();
        string? config = null;
        try
        {
            if (parsed.Errors.Count == 0 && ConfigPath(parsed) is { } path)
            {
                config = path;
                var command = parsed.CommandResult.Command;
                (var words, fromFile) = ConfigFile.Read(config, command, o => parsed.GetResult(o) is { Implicit: false });
                parsed = root.Parse([args[0], .. words, .. args[1..]], _parser);
            }

            if (parsed.Action is ParseErrorAction || (parsed.Errors.Count > 0 && parsed.Action is not HelpWriter))
            {
                return await UsageErrorAsync(parsed, ErrorLine(parsed, fromFile, config)).ConfigureAwait(false);
            }

            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, stop).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            return await UsageErrorAsync(parsed, CommandPrefix(parsed) + e.Message).ConfigureAwait(false);
        }
    }

    private static async Task<int> UsageErrorAsync(ParseResult parsed, string line)
    {
        await Console.Error.WriteLineAsync(line).ConfigureAwait(false);
        var at = parsed.CommandResult.Command;
        await Console.Error.WriteLineAsync(at is RootCommand ? "Run 'berth --help' for the commands." : $"Run 'berth {at.Name} --help' for its flags.").ConfigureAwait(false);
        return UsageExit;
    }

    private static string CommandPrefix(ParseResult parsed) => parsed.CommandResult.Command is RootCommand ? "berth: " : $"berth {parsed.CommandResult.Command.Name}: ";

    /// <summary>One line for the first problem: <c>berth up: unknown flag --api-prot (did you mean --api-port?)</c>.</summary>
    public static string ErrorLine(ParseResult parsed, IReadOnlySet<Option> fromFile, string? configPath)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(fromFile);
        var command = parsed.CommandResult.Command;
        var prefix = CommandPrefix(parsed);
        if (parsed.Errors.FirstOrDefault(e => e.SymbolResult is OptionResult or ArgumentResult) is { } valueError)
        {
            // A flag's own problem first: `--data-dir --api-port 5` is about --data-dir, not about the 5 left over.
            var option = (valueError.SymbolResult as OptionResult)?.Option ?? ((valueError.SymbolResult as ArgumentResult)?.Parent as OptionResult)?.Option;
            var inFile = option is not null && fromFile.Contains(option) && configPath is not null;
            var message = (valueError.SymbolResult, option) switch
            {
                (OptionResult { Tokens.Count: 0 }, { } o) => $"{o.Name} needs a value",
                (OptionResult { Tokens.Count: var n }, { Arity.MaximumNumberOfValues: 1 } o) when n > 1 => $"{o.Name} takes one value, and was given {n}",
                (ArgumentResult { Tokens.Count: 0 } a, null) => $"<{a.Argument.Name}> is missing",
                _ => valueError.Message.TrimEnd('.'),
            };
            return prefix + (inFile ? Path.GetFileName(configPath) + ": " : "") + message;
        }

        if (parsed.UnmatchedTokens is [var word, ..])
        {
            if (command is RootCommand && !word.StartsWith('-'))
            {
                return prefix + $"unknown command '{word}'" + Suggest(word, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            }

            return word.StartsWith('-')
                ? prefix + $"unknown flag {word}" + Suggest(word, command.Options.Select(o => o.Name))
                : prefix + $"unexpected '{word}' (this command takes flags only{(command.Options.Any(o => o.Arity.MaximumNumberOfValues > 0) ? "; a flag's value follows the flag" : "")})";
        }

        if (command is RootCommand)
        {
            return prefix + "no command given";
        }

        return prefix + parsed.Errors[0].Message.TrimEnd('.');
    }

    private static string? ConfigPath(ParseResult parsed) =>
        parsed.CommandResult.Command.Options.OfType<Option<string?>>().FirstOrDefault(o => o.Name == ConfigFile.Name) is { } option ? parsed.GetValue(option) : null;

    /// <summary><c> (did you mean --api-port?)</c> for a near miss: one edit or two away, or a prefix.</summary>
    private static string Suggest(string word, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Name: c, Distance: c.StartsWith(word, StringComparison.Ordinal) && word.Length > 2 ? 0 : Distance(word, c)))
            .Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
        return best is null ? "" : $" (did you mean {best}?)";
    }

    /// <summary>Levenshtein distance.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    /// <summary><c>berth help [command]</c>: the same as <c>--help</c>, for those who type it so.</summary>
    private static Command HelpCommand(RootCommand root)
    {
        var name = new Argument<string?>("command") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("help", "show the help of berth or of a command") { Hidden = true };
        command.Add(name);
        command.SetAction(parsed =>
        {
            var wanted = parsed.GetValue(name);
            var target = wanted is null ? root : root.Subcommands.FirstOrDefault(c => c.Name == wanted);
            if (target is null)
            {
                Console.Error.WriteLine($"berth help: unknown command '{wanted}'");
                return UsageExit;
            }

            Console.Out.Write(HelpWriter.Render(target));
            return 0;
        });
        return command;
    }
}
