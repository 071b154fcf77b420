using System.Net;
using System.Net.Sockets;
using Berth.Claims;
using Berth.Client.Http;
using Berth.Node;
using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary>
/// <c>berth server</c>: the API server and the controllers. <c>berth up</c>: the same plus a node agent in the same
/// process, so pods run on this machine.
/// </summary>
internal sealed class ServeCommand(ParsedArgs args, bool withAgent) : ICommand
{
    public async Task<int> RunAsync()
    {
        var options = Program.ServerOptions(args);
        var controllerOptions = Program.ControllerOptions(args);
        var agentOptions = withAgent ? AgentSetup.Options(args, Path.Combine(options.DataDir, "node"), defaultKubeletPort: 0) : null;
        using var dataLock = DataDirectoryLock.Acquire(options.DataDir);
        using var claim = ClaimRanges(options, controllerOptions, agentOptions);
        using var loggerFactory = Logging.Create(args);
        using var stop = new StopSignal();

        await using var plane = await StartControlPlaneAsync(options, controllerOptions, loggerFactory, stop.Token).ConfigureAwait(false);
        var host = plane.Api;
        await Console.Out.WriteLineAsync($"berth: API server listening on {host.Url}").ConfigureAwait(false);

        // The node agent, proxy and DNS act as the node (system:node:<name>), not as the admin.
        using var agentApi = agentOptions is null ? null : await host.CreateInProcessClientAsync(Berth.ApiServer.Security.UserInfo.ForNode(agentOptions.NodeName), stop.Token).ConfigureAwait(false);
        await using var services = agentOptions is null
            ? null
            : await NodeServices.StartAsync(agentApi!, AgentSetup.ServicesOptions(args, agentOptions), loggerFactory, stop.Token).ConfigureAwait(false);
        await using var agent = agentOptions is null
            ? null
            : await NodeAgent.StartAsync(agentApi!, agentOptions, host.Credentials.CaCertificate, loggerFactory, runtime: null, stop.Token).ConfigureAwait(false);
        if (agent is not null)
        {
            await Console.Out.WriteLineAsync($"berth: node {agent.Node.Name} ready (pod CIDR {agent.Node.PodCidr}, metrics on http://{services!.MetricsEndpoint}/metrics)").ConfigureAwait(false);
            if (services.Dns is { } dns)
            {
                foreach (var line in DnsFlags.Describe(dns))
                {
                    await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
                }
            }
        }

        await Console.Out.WriteLineAsync($"berth: kubeconfig written to {host.KubeconfigPath}").ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"berth: try  KUBECONFIG={host.KubeconfigPath} kubectl --kubeconfig {host.KubeconfigPath} get nodes,pods -A").ConfigureAwait(false);
        if (await Task.WhenAny(stop.WaitAsync(), plane.Failed).ConfigureAwait(false) == plane.Failed)
        {
            await Console.Error.WriteLineAsync("berth: " + plane.Failed.Result.Message + "; stopping").ConfigureAwait(false);
            return 1;
        }

        await Console.Out.WriteLineAsync("berth: stopping").ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// Takes this cluster's ranges (and, with a node, its node address and name) machine-wide: what the flags or the
    /// data directory pin is kept, the rest comes from the first free slot (<see cref="ClusterRanges"/>); the result is
    /// written into the options and recorded in the data directory for the next start.
    /// </summary>
    private MachineClaims ClaimRanges(ApiServer.ApiServerOptions options, Controllers.ControllerOptions controllers, Node.NodeAgentOptions? agent)
    {
        var flags = new ClusterRanges(
            args.Get("service-cidr"),
            args.Get("cluster-cidr"),
            args.Get("lb-pool"),
            agent is null ? null : args.Get("node-address"),
            agent is null ? null : args.Get("node-name"));
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
            Console.Out.WriteLine("berth: " + note);
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

        return claim;
    }

    /// <summary>The control plane, with a busy API port said in one line rather than an exception.</summary>
    private static async Task<ControlPlane> StartControlPlaneAsync(ApiServer.ApiServerOptions options, Controllers.ControllerOptions controllers, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            return await ControlPlane.StartAsync(options, controllers, loggers, ct).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            throw new ClaimException($"the API port {options.ApiPort} is in use by another program ({e.Message}); choose another with --api-port (0 picks a free one)");
        }
    }
}
