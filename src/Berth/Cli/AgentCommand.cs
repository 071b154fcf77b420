using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Berth.Cli.Flags;
using Berth.Cli.Start;
using Berth.Client.Http;
using Berth.Node;
using k8s;
using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary>
/// <c>berth agent --server URL --token-file F</c>: a node (agent, service proxy, cluster DNS) alone, joining the cluster
/// of a <c>berth server</c> (or any Kubernetes-compatible API server) elsewhere. The CA defaults to <c>ca.crt</c> beside
/// the token file, which is where a server's data directory keeps both.
/// </summary>
internal sealed class AgentCommand
{
    private readonly Option<string?> _server = Flag.Text("--server", "URL", "the API server (e.g. https://10.0.0.1:6443); required");
    private readonly Option<string?> _tokenFile = Flag.ExistingFile("--token-file", "FILE", "a bearer token (a server's <data-dir>/admin.token); required");
    private readonly Option<string?> _caFile = Flag.ExistingFile("--ca-file", "FILE", "the cluster CA (default: ca.crt beside the token file)");
    private readonly DataDirFlag _dataDir = new("the agent's state (default $XDG_DATA_HOME/berth/agent)");
    private readonly AgentFlags _agent = new(defaultKubeletPort: 10250);
    private readonly ProxyFlags _proxy = new();
    private readonly DnsFlags _dns = new();
    private readonly LogFlags _log = new();

    public static FlagCommand Create()
    {
        var agent = new AgentCommand();
        var command = new FlagCommand("agent", "run a node (agent, service proxy, cluster DNS) for an API server elsewhere", "agent --server URL --token-file FILE [--config FILE] [flags]")
        {
            Notes = ConfigFile.Notes,
        };
        command.Add(new FlagGroup("flags of the connection to the API server", [agent._server, agent._tokenFile, agent._caFile, agent._dataDir.Option]));
        command.Add(agent._agent.Group);
        command.Add(agent._proxy.Group);
        command.Add(agent._dns.Group);
        command.Add(agent._log.Group);
        command.Add(ConfigFile.Create());
        command.SetAction(agent.RunAsync);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken stop)
    {
        var server = parsed.GetValue(_server) ?? throw new UsageException("--server URL is required");
        if (!Uri.TryCreate(server, UriKind.Absolute, out var serverUri) || serverUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new UsageException($"--server: not an https:// URL: {server}");
        }

        var tokenFile = parsed.GetValue(_tokenFile) ?? throw new UsageException("--token-file FILE is required");
        var caFile = parsed.GetValue(_caFile) ?? Path.Combine(Path.GetDirectoryName(tokenFile)!, "ca.crt");
        if (!File.Exists(caFile))
        {
            throw new UsageException($"--ca-file: no such file: {caFile} (give the cluster CA certificate)");
        }

        var dataDir = _dataDir.Given(parsed) ?? Path.Combine(ApiServer.ApiServerOptions.DefaultDataDir(), "agent");
        var options = _agent.Options(parsed, dataDir);
        var servicesOptions = _agent.ServicesOptions(parsed, options, _proxy, _dns);
        using var loggers = _log.Create(parsed);
        var report = StartReport.ForConsole();
        return await StartRunner.RunAsync(report, loggers.CreateLogger("Berth.Cli"), async running =>
        {
            running.AddSync(Claims.DataDirectoryLock.Acquire(dataDir));
            var ca = running.AddSync(X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(caFile, stop).ConfigureAwait(false)));
            var config = new KubernetesClientConfiguration
            {
                Host = server,
                AccessToken = (await File.ReadAllTextAsync(tokenFile, stop).ConfigureAwait(false)).Trim(),
                SslCaCerts = [ca],
            };
            var api = running.AddSync(HttpApiClient.FromConfig(config));
            report.Done("credentials", $"{dataDir} locked; token and CA read for {server}");
            var node = await NodeStart.StartAsync(api, options, servicesOptions, ca, loggers, running, report, stop).ConfigureAwait(false);
            return new Started(ReadyBlockPlanner.Agent(server, dataDir, node, Privilege.OfThisProcess()), new TaskCompletionSource<string>().Task);
        }, "stopping the node agent and its pods", stop).ConfigureAwait(false);
    }
}
