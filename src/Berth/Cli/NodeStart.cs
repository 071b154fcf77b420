using System.Security.Cryptography.X509Certificates;
using Berth.Cli.Start;
using Berth.Client;
using Berth.Node;
using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary>
/// A node's start, shared by <c>berth up</c> and <c>berth agent</c>: the service proxy and the cluster DNS first (so a
/// pod's first connection or query finds them), then the agent, which registers the Node and starts its pods.
/// </summary>
internal static class NodeStart
{
    public static async Task<StartedNode> StartAsync(IApiClient api, NodeAgentOptions agentOptions, NodeServicesOptions servicesOptions, X509Certificate2 clusterCa, ILoggerFactory loggers, AsyncDisposables running, StartReport report, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(agentOptions);
        ArgumentNullException.ThrowIfNull(servicesOptions);
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(report);
        var services = running.Add(await NodeServices.StartAsync(api, servicesOptions, loggers, report, stop).ConfigureAwait(false));
        report.Begin("registering the node");
        var agent = running.Add(await NodeAgent.StartAsync(api, agentOptions, clusterCa, loggers, runtime: null, stop).ConfigureAwait(false));
        report.Done("node", $"{agent.Node.Name} Ready, pod CIDR {agent.Node.PodCidr}, kubelet API on port {agent.Node.KubeletPort}");
        return new StartedNode(agent.Node.Name, agentOptions.NodeAddress, agent.Node.PodCidr, services.MetricsEndpoint,
            servicesOptions.Dns is not null, services.Dns?.Endpoints is [var dns, ..] ? dns : null, agentOptions.ClusterDomain);
    }
}
