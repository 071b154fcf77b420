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
        var agentOptions = withAgent ? AgentSetup.Options(args, Path.Combine(options.DataDir, "node"), defaultKubeletPort: 0) : null;
        using var loggerFactory = Logging.Create(args);
        using var stop = new StopSignal();

        await using var plane = await ControlPlane.StartAsync(options, Program.ControllerOptions(args), loggerFactory, stop.Token).ConfigureAwait(false);
        var host = plane.Api;
        await Console.Out.WriteLineAsync($"berth: API server listening on {host.Url}").ConfigureAwait(false);

        using var agentApi = agentOptions is null ? null : HttpApiClient.FromKubeconfig(host.KubeconfigPath);
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
        await stop.WaitAsync().ConfigureAwait(false);
        await Console.Out.WriteLineAsync("berth: stopping").ConfigureAwait(false);
        return 0;
    }
}
