using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary>The <c>berth</c> commands.</summary>
internal static class CommandLine
{
    public const string Usage = """
        usage: berth <command> [flags]

        commands:
          up          run the whole cluster in one process (API server with its embedded store, controllers)
          server      run the API server and the controllers
          kubeconfig  print the admin kubeconfig of the data directory
          version     print the version

        flags (up, server, kubeconfig):
          --data-dir DIR        state directory (default $XDG_DATA_HOME/berth or ~/.local/share/berth)
          --api-port PORT       HTTPS port of the API (default 6443; 0 picks a free port)
          --bind-address IP     an extra address to serve the API on (repeatable)
          --tls-san NAME        an extra name or IP for the serving certificate (repeatable)
          --service-cidr CIDR   where cluster IPs come from (default 127.96.0.0/12)
          --service-node-port-range A-B   NodePorts (default 30000-32767)
          --lb-pool CIDR        load-balancer addresses (default 127.200.0.0/24)
          --max-endpoints-per-slice N     (default 100)
          --log-level LEVEL     Trace, Debug, Information, Warning (default), Error
        """;

    private static readonly HashSet<string> _serverFlags = ["data-dir", "api-port", "tls-san", "bind-address", "service-cidr", "service-node-port-range", "lb-pool", "max-endpoints-per-slice", "log-level"];

    public static ICommand Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new UsageException("no command given");
        }

        var rest = args[1..];
        return args[0] switch
        {
            "up" or "server" => new ServeCommand(new ParsedArgs(rest, _serverFlags)),
            "kubeconfig" => new KubeconfigCommand(new ParsedArgs(rest, _serverFlags)),
            "version" or "--version" => new VersionCommand(),
            "help" or "--help" or "-h" => new HelpCommand(),
            _ => throw new UsageException($"unknown command {args[0]}"),
        };
    }
}
