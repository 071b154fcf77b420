using Berth.Agnhost.Cli;
using Berth.Agnhost.Netexec;
using Berth.Agnhost.Pause;
using Berth.Agnhost.ServeHostname;

namespace Berth.Agnhost;

/// <summary>
/// The built-in <c>registry.k8s.io/e2e-test-images/agnhost</c> image: <c>berth agnhost &lt;subcommand&gt; [flags]</c>
/// behaves as <c>/agnhost &lt;subcommand&gt; [flags]</c> in the real image for the subcommands the Kubernetes network
/// tests use. With no arguments it runs the image's default command, <c>pause</c> (the Dockerfile's
/// <c>ENTRYPOINT ["/agnhost"]</c> + <c>CMD ["pause"]</c>).
/// </summary>
public static class AgnhostProgram
{
    /// <summary>The agnhost release whose behaviour this follows (what <c>--version</c> prints).</summary>
    public const string Version = "2.53";

    private const string Usage = """
        Usage:
          agnhost [command]

        Available Commands (Berth's built-in agnhost):
          help            Help about any command
          netexec         Creates HTTP(S), UDP, and (optionally) SCTP servers with various endpoints
          pause           Pauses the execution
          serve-hostname  Serves the hostname

        With no command, the image's default command (pause) runs.
        Use "agnhost [command] --help" for more information about a command.
        """;

    /// <summary>
    /// Runs a subcommand in this process with the pod's environment (<c>POD_IP</c>, <c>HOSTNAME</c>) and its signals;
    /// returns the exit code. Cancelling <paramref name="cancellationToken"/> stops it and returns 0.
    /// </summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        return RunAsync(args, AgnhostOptions.FromEnvironment(), cancellationToken);
    }

    internal static async Task<int> RunAsync(IReadOnlyList<string> args, AgnhostOptions options, CancellationToken cancellationToken)
    {
        var (name, rest) = SplitCommand(args);
        if (name is null)
        {
            if (rest.Contains("--version"))
            {
                await options.Out.WriteLineAsync("app version " + Version).ConfigureAwait(false);
                return 0;
            }

            if (rest.Contains("--help") || rest.Contains("-h"))
            {
                await options.Out.WriteLineAsync(Usage).ConfigureAwait(false);
                return 0;
            }

            name = PauseCommand.Name;
        }

        if (name == "help")
        {
            var topic = rest.FirstOrDefault(a => !a.StartsWith('-'));
            var topicFlags = topic is null ? null : FlagsOf(topic);
            await options.Out.WriteLineAsync(topicFlags is null ? Usage : CommandUsage(topic!, topicFlags)).ConfigureAwait(false);
            return 0;
        }

        var flags = FlagsOf(name);
        if (flags is null)
        {
            await options.Error.WriteLineAsync("Error: unknown command \"" + name + "\" for \"app\"\nRun 'app --help' for usage.").ConfigureAwait(false);
            return 1;
        }

        var error = flags.Parse(rest);
        if (error is null && flags.Positional.Count > 0 && !flags.HelpRequested)
        {
            error = "accepts at most 0 arg(s), received " + flags.Positional.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (error is not null)
        {
            await options.Error.WriteLineAsync("Error: " + error + "\n" + CommandUsage(name, flags)).ConfigureAwait(false);
            return 1;
        }

        if (flags.HelpRequested)
        {
            await options.Out.WriteLineAsync(CommandUsage(name, flags)).ConfigureAwait(false);
            return 0;
        }

        return name switch
        {
            NetexecCommand.Name => await NetexecCommand.RunAsync(flags, options, cancellationToken).ConfigureAwait(false),
            ServeHostnameCommand.Name => await ServeHostnameCommand.RunAsync(flags, options, cancellationToken).ConfigureAwait(false),
            _ => await PauseCommand.RunAsync(flags, options, cancellationToken).ConfigureAwait(false),
        };
    }

    private static FlagSet? FlagsOf(string name) => name switch
    {
        NetexecCommand.Name => NetexecCommand.Flags(),
        ServeHostnameCommand.Name => ServeHostnameCommand.Flags(),
        PauseCommand.Name => PauseCommand.Flags(),
        _ => null,
    };

    private static string CommandUsage(string name, FlagSet flags)
    {
        var summary = name switch
        {
            NetexecCommand.Name => NetexecCommand.Short,
            ServeHostnameCommand.Name => ServeHostnameCommand.Short,
            _ => PauseCommand.Short,
        };
        return summary + "\n\nUsage:\n  agnhost " + name + " [flags]\n\nFlags:\n" + flags.Describe();
    }

    /// <summary>The first argument that is neither a flag nor a klog flag's value is the subcommand (cobra's rule).</summary>
    private static (string? Name, List<string> Remaining) SplitCommand(IReadOnlyList<string> args)
    {
        var rest = new List<string>(args.Count);
        string? name = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (name is null && arg == "--")
            {
                rest.AddRange(args.Skip(i));
                break;
            }

            if (name is null && !arg.StartsWith('-'))
            {
                name = arg;
                continue;
            }

            rest.Add(arg);
            if (name is null && arg is "--v" or "-v" or "--vmodule" or "--log_dir" or "--log_file" or "--log_file_max_size" or "--stderrthreshold" or "--log_backtrace_at" && i + 1 < args.Count)
            {
                rest.Add(args[++i]);
            }
        }

        return (name, rest);
    }
}
