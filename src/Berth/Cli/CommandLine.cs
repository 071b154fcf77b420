using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary>The <c>berth</c> commands.</summary>
internal static class CommandLine
{
    public const string Usage = """
        usage: berth <command> [flags]

        commands:
          up          run the whole cluster in one process (API server with its embedded store, controllers, node agent)
          server      run the API server and the controllers
          agent       run a node agent for a server elsewhere: agent --server URL --token-file FILE [--ca-file FILE]
          kubeconfig  print the admin kubeconfig of the data directory
          status      draw the cluster: nodes, then Services → ports → endpoints → pods (-w follows; --namespace NS)
          proxy-trace print the node's recent proxy decisions (client → Service port → endpoint, and why): proxy-trace [--data-dir DIR] [--format json]
          version     print the version
          agnhost     run the built-in agnhost image (registry.k8s.io/e2e-test-images/agnhost): agnhost netexec|serve-hostname|pause [flags]

        flags (up, server, kubeconfig):
          --data-dir DIR        state directory (default $XDG_DATA_HOME/berth or ~/.local/share/berth)
          --api-port PORT       HTTPS port of the API (default 6443; 0 picks a free port)
          --bind-address IP     an extra address to serve the API on (repeatable)
          --tls-san NAME        an extra name or IP for the serving certificate (repeatable)
          --service-cidr CIDR   where cluster IPs come from (default 127.96.0.0/12)
          --service-node-port-range A-B   NodePorts (default 30000-32767)
          --lb-pool CIDR        load-balancer addresses (default 127.200.0.0/24)
          --max-endpoints-per-slice N     (default 100)
          --cluster-cidr CIDR   where Nodes' pod CIDRs come from (default 127.244.0.0/16)
          --node-cidr-mask-size N         prefix length of each Node's pod CIDR (default 24)
          --node-monitor-grace-period D   a Node silent this long becomes Unknown (default 50s)
          --log-level LEVEL     Trace, Debug, Information, Warning (default), Error (also for agent)
          --log-format FORMAT   text (default: one line per entry) or json (one JSON object per line) (also for agent)

        """ + "\n" + AgentSetup.Usage + "\n" + ProxyFlags.Usage + "\n" + DnsFlags.Usage + "\n" + """

        flags of agent alone:
          --server URL          the API server (e.g. https://10.0.0.1:6443)
          --token-file FILE     a bearer token (a server's <data-dir>/admin.token)
          --ca-file FILE        the cluster CA (default: ca.crt beside the token file)
          --data-dir DIR        the agent's state (default $XDG_DATA_HOME/berth/agent)
        """;

    private static readonly HashSet<string> _serverFlags = ["data-dir", "api-port", "tls-san", "bind-address", "service-cidr", "service-node-port-range", "lb-pool", "max-endpoints-per-slice",
        "cluster-cidr", "node-cidr-mask-size", "node-monitor-grace-period", .. Logging.Flags];

    private static readonly HashSet<string> _statusFlags = ["data-dir", "namespace"];

    private static readonly HashSet<string> _upFlags = [.. _serverFlags, .. AgentSetup.Flags, .. ProxyFlags.Flags, .. DnsFlags.Flags];

    private static readonly HashSet<string> _agentFlags = [.. AgentCommand.OwnFlags, .. AgentSetup.Flags, .. ProxyFlags.Flags, .. DnsFlags.Flags, .. Logging.Flags];

    public static ICommand Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new UsageException("no command given");
        }

        var rest = args[1..];
        return args[0] switch
        {
            "up" => new ServeCommand(new ParsedArgs(rest, _upFlags), withAgent: true),
            "server" => new ServeCommand(new ParsedArgs(rest, _serverFlags), withAgent: false),
            "agent" => new AgentCommand(new ParsedArgs(rest, _agentFlags)),
            "kubeconfig" => new KubeconfigCommand(new ParsedArgs(rest, _serverFlags)),
            "status" => new StatusCommand(new ParsedArgs(rest.Where(a => a is not ("-w" or "--watch")), _statusFlags), watch: rest.Any(a => a is "-w" or "--watch")),
            "agnhost" => new AgnhostCommand(rest),
            "proxy-trace" => new ProxyTraceCommand(new ParsedArgs(rest, ProxyTraceCommand.Flags)),
            "version" or "--version" => new VersionCommand(),
            "help" or "--help" or "-h" => new HelpCommand(),
            _ => throw new UsageException($"unknown command {args[0]}"),
        };
    }
}
