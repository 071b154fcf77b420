using System.Security.Cryptography.X509Certificates;
using Berth.Client.Http;
using Berth.Node;
using k8s;
using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary>
/// <c>berth agent --server URL --token-file F</c>: a node agent alone, joining the cluster of a <c>berth server</c>
/// (or any Kubernetes-compatible API server) elsewhere. The CA defaults to <c>ca.crt</c> beside the token file, which is
/// where a server's data directory keeps both.
/// </summary>
internal sealed class AgentCommand(ParsedArgs args) : ICommand
{
    public static readonly string[] OwnFlags = ["server", "token-file", "ca-file", "data-dir"];

    public async Task<int> RunAsync()
    {
        var server = args.Get("server") ?? throw new UsageException("agent: --server URL is required");
        var tokenFile = args.Get("token-file") ?? throw new UsageException("agent: --token-file FILE is required");
        var caFile = args.Get("ca-file") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenFile))!, "ca.crt");
        if (!File.Exists(tokenFile))
        {
            throw new UsageException($"--token-file: no such file: {tokenFile}");
        }

        if (!File.Exists(caFile))
        {
            throw new UsageException($"--ca-file: no such file: {caFile} (give the cluster CA certificate)");
        }

        var dataDir = Path.GetFullPath(args.Get("data-dir") ?? Path.Combine(ApiServer.ApiServerOptions.DefaultDataDir(), "agent"));
        var options = AgentSetup.Options(args, dataDir, defaultKubeletPort: 10250);
        using var dataLock = Claims.DataDirectoryLock.Acquire(dataDir);
        using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(caFile).ConfigureAwait(false));
        var config = new KubernetesClientConfiguration
        {
            Host = server,
            AccessToken = (await File.ReadAllTextAsync(tokenFile).ConfigureAwait(false)).Trim(),
            SslCaCerts = [ca],
        };

        using var loggerFactory = Logging.Create(args);
        using var stop = new StopSignal();
        using var api = HttpApiClient.FromConfig(config);
        await using var services = await NodeServices.StartAsync(api, AgentSetup.ServicesOptions(args, options), loggerFactory, stop.Token).ConfigureAwait(false);
        await using var agent = await NodeAgent.StartAsync(api, options, ca, loggerFactory, runtime: null, stop.Token).ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"berth: node {agent.Node.Name} ready (pod CIDR {agent.Node.PodCidr}, kubelet API on port {agent.Node.KubeletPort}, metrics on http://{services.MetricsEndpoint}/metrics)").ConfigureAwait(false);
        foreach (var line in services.Dns is { } dns ? DnsFlags.Describe(dns) : [])
        {
            await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
        }

        await stop.WaitAsync().ConfigureAwait(false);
        await Console.Out.WriteLineAsync("berth: stopping the node agent and its pods").ConfigureAwait(false);
        return 0;
    }
}
