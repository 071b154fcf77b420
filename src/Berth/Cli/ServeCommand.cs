using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Berth.ApiServer;
using Berth.ApiServer.Security;
using Berth.Claims;
using Berth.Cli.Flags;
using Berth.Cli.Start;
using Berth.Client.Http;
using Berth.Controllers;
using Berth.Node;
using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary>
/// <c>berth server</c>: the API server and the controllers. <c>berth up</c>: the same plus a node (agent, service proxy,
/// cluster DNS) in the same process, so pods run on this machine. Each step of the start is reported with its time,
/// then the ready block; a stop (SIGINT, SIGTERM) at any moment ends in an orderly stop and exit code 0.
/// </summary>
internal sealed class ServeCommand
{
    private readonly bool _withNode;
    private readonly ServerFlags _server = new(new DataDirFlag());
    private readonly AgentFlags _agent = new(defaultKubeletPort: 0);
    private readonly ProxyFlags _proxy = new();
    private readonly DnsFlags _dns = new();
    private readonly LogFlags _log = new();

    private ServeCommand(bool withNode) => _withNode = withNode;

    public static FlagCommand Up()
    {
        var up = new ServeCommand(withNode: true);
        var command = new FlagCommand("up", "run the whole cluster in one process: API server with its embedded store, controllers, and a node (agent, service proxy, cluster DNS)", "up [--config FILE] [flags]")
        {
            Notes = ConfigFile.Notes,
        };
        command.Add(up._server.Group);
        command.Add(up._agent.Group);
        command.Add(up._proxy.Group);
        command.Add(up._dns.Group);
        command.Add(up._log.Group);
        command.Add(ConfigFile.Create());
        command.SetAction(up.RunAsync);
        return command;
    }

    public static FlagCommand Server()
    {
        var server = new ServeCommand(withNode: false);
        var command = new FlagCommand("server", "run the API server and the controllers (nodes join with berth agent)", "server [--config FILE] [flags]")
        {
            Notes = ConfigFile.Notes,
        };
        command.Add(server._server.Group);
        command.Add(server._log.Group);
        command.Add(ConfigFile.Create());
        command.SetAction(server.RunAsync);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken stop)
    {
        var options = _server.ServerOptions(parsed);
        var controllerOptions = _server.ControllerOptions(parsed);
        var agentOptions = _withNode ? _agent.Options(parsed, Path.Combine(options.DataDir, "node")) : null;
        using var loggers = _log.Create(parsed);
        var report = StartReport.ForConsole();
        return await StartRunner.RunAsync(report, loggers.CreateLogger("Berth.Cli"), async running =>
        {
            running.AddSync(DataDirectoryLock.Acquire(options.DataDir));
            running.AddSync(ClaimRanges(parsed, options, controllerOptions, agentOptions, report));
            var plane = running.Add(await StartControlPlaneAsync(options, controllerOptions, loggers, report, stop).ConfigureAwait(false));
            var failed = plane.Failed.ContinueWith(t => t.Result.Message, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            if (agentOptions is null)
            {
                return new Started(ReadyBlockPlanner.Server(plane.Api.Url, plane.Api.KubeconfigPath, options.DataDir), failed);
            }

            var node = await StartNodeAsync(parsed, plane.Api, agentOptions, loggers, running, report, stop).ConfigureAwait(false);
            return new Started(ReadyBlockPlanner.Up(plane.Api.Url, plane.Api.KubeconfigPath, options.DataDir, node, Privilege.OfThisProcess()), failed);
        }, _withNode ? "stopping (pods get their grace period)" : "stopping", stop).ConfigureAwait(false);
    }

    private async Task<StartedNode> StartNodeAsync(ParseResult parsed, ApiServerHost host, NodeAgentOptions agentOptions, ILoggerFactory loggers, AsyncDisposables running, StartReport report, CancellationToken stop)
    {
        // The node agent, proxy and DNS act as the node (system:node:<name>), not as the admin.
        var api = running.AddSync(await host.CreateInProcessClientAsync(UserInfo.ForNode(agentOptions.NodeName), stop).ConfigureAwait(false));
        var servicesOptions = _agent.ServicesOptions(parsed, agentOptions, _proxy, _dns);
        return await NodeStart.StartAsync(api, agentOptions, servicesOptions, host.Credentials.CaCertificate, loggers, running, report, stop).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes this cluster's ranges (and, with a node, its node address and name) machine-wide: what the flags or the
    /// data directory pin is kept, the rest comes from the first free slot (<see cref="ClusterRanges"/>); the result is
    /// written into the options and recorded in the data directory for the next start.
    /// </summary>
    private MachineClaims ClaimRanges(ParseResult parsed, ApiServerOptions options, ControllerOptions controllers, NodeAgentOptions? agent, StartReport report)
    {
        var (serviceCidr, clusterCidr, lbPool) = _server.PinnedRanges(parsed);
        var (nodeAddress, nodeName) = agent is null ? (null, null) : _agent.PinnedNode(parsed);
        var flags = new ClusterRanges(serviceCidr, clusterCidr, lbPool, nodeAddress, nodeName);
        var pinned = (ClusterRanges.Load(options.DataDir) ?? new ClusterRanges()).With(flags);
        var hostName = System.Net.Dns.GetHostName().ToLowerInvariant();
        ClusterRanges ranges = null!;
        string? note = null;
        var claim = MachineClaims.Claim(live =>
        {
            (ranges, note) = ClusterRanges.Choose(pinned, agent is not null, hostName, live);
            return new MachineClaim(Environment.ProcessId, options.DataDir, [.. ranges.Claimed(agent is not null)], agent is null ? [] : ["node " + ranges.NodeName]);
        });
        if (note is not null)
        {
            report.Note(note);
        }

        (agent is null ? ranges with { NodeAddress = null, NodeName = null } : ranges).Save(options.DataDir);
        options.ServiceCidr = ranges.ServiceCidr!;
        controllers.ClusterCidr = ranges.ClusterCidr!;
        controllers.LoadBalancerPool = ranges.LoadBalancerPool!;
        if (agent is not null)
        {
            agent.NodeAddress = IPAddress.Parse(ranges.NodeAddress!);
            agent.NodeName = ranges.NodeName!;
        }

        report.Done("claims", $"data directory locked; services {ranges.ServiceCidr}, pods {ranges.ClusterCidr}, load balancers {ranges.LoadBalancerPool}"
            + (agent is null ? "" : $", node {ranges.NodeName} at {ranges.NodeAddress}"));
        return claim;
    }

    /// <summary>The control plane, with a busy API port said in one line rather than an exception.</summary>
    private static async Task<ControlPlane> StartControlPlaneAsync(ApiServerOptions options, ControllerOptions controllers, ILoggerFactory loggers, StartReport report, CancellationToken ct)
    {
        try
        {
            return await ControlPlane.StartAsync(options, controllers, loggers, report, ct).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            throw new ClaimException($"the API port {options.ApiPort} is in use by another program ({e.Message}); choose another with --api-port (0 picks a free one)");
        }
    }
}
