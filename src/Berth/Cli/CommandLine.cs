using Berth.ApiServer;
using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary>The <c>berth</c> commands.</summary>
internal static class CommandLine
{
    public const string Usage = """
        usage: berth <command> [flags]

        commands:
          up          run the whole cluster in one process (for now: the API server with its embedded store)
          server      run the API server
          kubeconfig  print the admin kubeconfig of the data directory
          version     print the version

        flags (up, server, kubeconfig):
          --data-dir DIR        state directory (default $XDG_DATA_HOME/berth or ~/.local/share/berth)
          --api-port PORT       HTTPS port of the API (default 6443; 0 picks a free port)
          --bind-address IP     an extra address to serve the API on (repeatable)
          --tls-san NAME        an extra name or IP for the serving certificate (repeatable)
        """;

    private static readonly HashSet<string> ServerFlags = ["data-dir", "api-port", "tls-san", "bind-address"];

    public static ICommand Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new UsageException("no command given");
        }

        var rest = args[1..];
        return args[0] switch
        {
            "up" or "server" => new ServeCommand(new ParsedArgs(rest, ServerFlags)),
            "kubeconfig" => new KubeconfigCommand(new ParsedArgs(rest, ServerFlags)),
            "version" or "--version" => new VersionCommand(),
            "help" or "--help" or "-h" => new HelpCommand(),
            _ => throw new UsageException($"unknown command {args[0]}"),
        };
    }
}

internal interface ICommand
{
    Task<int> RunAsync();
}

internal sealed class HelpCommand : ICommand
{
    public async Task<int> RunAsync()
    {
        await Console.Out.WriteLineAsync(CommandLine.Usage).ConfigureAwait(false);
        return 0;
    }
}

internal sealed class VersionCommand : ICommand
{
    public async Task<int> RunAsync()
    {
        await Console.Out.WriteLineAsync("berth (Kubernetes API v1.32)").ConfigureAwait(false);
        return 0;
    }
}

internal sealed class KubeconfigCommand(ParsedArgs args) : ICommand
{
    public async Task<int> RunAsync()
    {
        var options = Program.ServerOptions(args);
        if (!File.Exists(options.KubeconfigPath))
        {
            await Console.Error.WriteLineAsync($"berth: no kubeconfig at {options.KubeconfigPath}; start `berth up` first").ConfigureAwait(false);
            return 1;
        }

        await Console.Out.WriteAsync(await File.ReadAllTextAsync(options.KubeconfigPath).ConfigureAwait(false)).ConfigureAwait(false);
        return 0;
    }
}

internal sealed class ServeCommand(ParsedArgs args) : ICommand
{
    public async Task<int> RunAsync()
    {
        var options = Program.ServerOptions(args);
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        using var stop = new CancellationTokenSource();
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);

        await using var host = await ApiServerHost.StartAsync(options, loggerFactory, stop.Token).ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"berth: API server listening on {host.Url}").ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"berth: kubeconfig written to {host.KubeconfigPath}").ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"berth: try  KUBECONFIG={host.KubeconfigPath} kubectl --kubeconfig {host.KubeconfigPath} get namespaces").ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Console.Out.WriteLineAsync("berth: stopping").ConfigureAwait(false);
        }

        return 0;

        void Stop(System.Runtime.InteropServices.PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
