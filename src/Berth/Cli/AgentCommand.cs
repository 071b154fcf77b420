using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.ApiServer.Security;
using Berth.Cli.Flags;
using Berth.Cli.Start;
using Berth.Client.Http;
using Berth.Node;
using k8s;
using k8s.Exceptions;
using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary>
/// <c>berth agent --kubeconfig F</c> or <c>--server URL --token-file F</c>: a node (agent, service proxy, cluster DNS)
/// alone, joining the cluster of a <c>berth server</c> (or any Kubernetes-compatible API server) elsewhere. The kubeconfig
/// (<c>berth kubeconfig --node NAME</c>) names the server, the CA and the node's own credential; with a token the CA
/// defaults to <c>ca.crt</c> beside the token file, which is where a server's data directory keeps both.
/// </summary>
internal sealed class AgentCommand
{
    private readonly Option<string?> _kubeconfig = Flag.ExistingFile("--kubeconfig", "FILE", "a node's kubeconfig: server, CA, credential and node name (berth kubeconfig --node)");
    private readonly Option<string?> _server = Flag.Text("--server", "URL", "without --kubeconfig: the API server (e.g. https://10.0.0.1:6443)");
    private readonly Option<string?> _tokenFile = Flag.ExistingFile("--token-file", "FILE", "without --kubeconfig: a bearer token (a server's <data-dir>/admin.token)");
    private readonly Option<string?> _caFile = Flag.ExistingFile("--ca-file", "FILE", "the cluster CA (default: ca.crt beside the token file)");
    private readonly DataDirFlag _dataDir = new("the agent's state (default $XDG_DATA_HOME/berth/agent)");
    private readonly AgentFlags _agent = new(defaultKubeletPort: 10250);
    private readonly ProxyFlags _proxy = new();
    private readonly DnsFlags _dns = new();
    private readonly LogFlags _log = new();

    public static FlagCommand Create()
    {
        var agent = new AgentCommand();
        var command = new FlagCommand("agent", "run a node (agent, service proxy, cluster DNS) for an API server elsewhere", "agent (--kubeconfig FILE | --server URL --token-file FILE) [--config FILE] [flags]")
        {
            Notes = ConfigFile.Notes,
        };
        command.Add(new FlagGroup("flags of the connection to the API server", [agent._kubeconfig, agent._server, agent._tokenFile, agent._caFile, agent._dataDir.Option]));
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
        var (connection, kubeconfigNode) = Connection(parsed);
        var dataDir = _dataDir.Given(parsed) ?? Path.Combine(ApiServer.ApiServerOptions.DefaultDataDir(), "agent");
        var options = _agent.Options(parsed, dataDir);
        if (kubeconfigNode is not null)
        {
            // The Node authorizer lets system:node:X write only Node X, so the name is the certificate's.
            options.NodeName = _agent.PinnedNode(parsed).NodeName is { } given && given != kubeconfigNode
                ? throw new UsageException($"--node-name {given}: the kubeconfig is node {kubeconfigNode}'s ({UserInfo.NodeUserPrefix}{kubeconfigNode})")
                : kubeconfigNode;
        }

        var servicesOptions = _agent.ServicesOptions(parsed, options, _proxy, _dns);
        using var loggers = _log.Create(parsed);
        var report = StartReport.ForConsole();
        return await StartRunner.RunAsync(report, loggers.CreateLogger("Berth.Cli"), async running =>
        {
            running.AddSync(Claims.DataDirectoryLock.Acquire(dataDir));
            var (config, what) = await connection(stop).ConfigureAwait(false);
            var ca = running.AddSync(config.SslCaCerts[0]);
            var api = running.AddSync(HttpApiClient.FromConfig(config));
            report.Done("credentials", $"{dataDir} locked; {what} read for {config.Host}");
            var node = await NodeStart.StartAsync(api, options, servicesOptions, ca, loggers, running, report, stop).ConfigureAwait(false);
            return new Started(ReadyBlockPlanner.Agent(config.Host, dataDir, node, Privilege.OfThisProcess()), new TaskCompletionSource<string>().Task);
        }, "stopping the node agent and its pods", stop).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks the connection flags now (a wrong command line is a usage error before anything starts) and returns how to
    /// read the client's configuration and what it holds, once the data directory is locked; with a node's kubeconfig,
    /// also the node it is for.
    /// </summary>
    private (Func<CancellationToken, Task<(KubernetesClientConfiguration Config, string What)>> Read, string? Node) Connection(ParseResult parsed)
    {
        var server = parsed.GetValue(_server);
        var tokenFile = parsed.GetValue(_tokenFile);
        var caFile = parsed.GetValue(_caFile);
        if (parsed.GetValue(_kubeconfig) is { } kubeconfig)
        {
            if ((tokenFile, server, caFile) is not (null, null, null))
            {
                var other = tokenFile is not null ? "--token-file" : server is not null ? "--server" : "--ca-file";
                throw new UsageException($"--kubeconfig and {other}: give one (the kubeconfig names the server, the CA and the credential)");
            }

            var config = FromKubeconfig(kubeconfig);
            var node = NodeOf(config);
            return (_ => Task.FromResult((config, node is null ? "credential and CA" : "node credential and CA")), node);
        }

        if (server is null && tokenFile is null)
        {
            throw new UsageException("give --kubeconfig FILE (a node's: berth kubeconfig --node NAME), or --server URL --token-file FILE");
        }

        if (server is null)
        {
            throw new UsageException("--server URL is required");
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var serverUri) || serverUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new UsageException($"--server: not an https:// URL: {server}");
        }

        if (tokenFile is null)
        {
            throw new UsageException("--token-file FILE is required");
        }

        caFile ??= Path.Combine(Path.GetDirectoryName(tokenFile)!, "ca.crt");
        if (!File.Exists(caFile))
        {
            throw new UsageException($"--ca-file: no such file: {caFile} (give the cluster CA certificate)");
        }

        return (async ct => (new KubernetesClientConfiguration
        {
            Host = server,
            AccessToken = (await File.ReadAllTextAsync(tokenFile, ct).ConfigureAwait(false)).Trim(),
            SslCaCerts = [X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(caFile, ct).ConfigureAwait(false))],
        }, "token and CA"), null);
    }

    /// <summary>The client configuration of <paramref name="path"/>'s current context, which must be https with the CA's data.</summary>
    private static KubernetesClientConfiguration FromKubeconfig(string path)
    {
        KubernetesClientConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        }
        catch (Exception e) when (e is KubeConfigException or YamlDotNet.Core.YamlException)
        {
            throw new UsageException($"--kubeconfig: not a usable kubeconfig: {path}: {e.Message}", e);
        }

        if (!Uri.TryCreate(config.Host, UriKind.Absolute, out var serverUri) || serverUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new UsageException($"--kubeconfig: its server is not an https:// URL: {config.Host}");
        }

        if (config.SslCaCerts is not [_, ..])
        {
            throw new UsageException($"--kubeconfig: {path} has no certificate-authority-data (the cluster CA)");
        }

        return config;
    }

    /// <summary>The node <paramref name="config"/>'s client certificate names (CN <c>system:node:NAME</c>), or null.</summary>
    private static string? NodeOf(KubernetesClientConfiguration config)
    {
        string pem;
        if (config.ClientCertificateData is { Length: > 0 } data)
        {
            pem = Encoding.ASCII.GetString(Convert.FromBase64String(data));
        }
        else if (config.ClientCertificateFilePath is { Length: > 0 } file && File.Exists(file))
        {
            pem = File.ReadAllText(file);
        }
        else
        {
            return null;
        }

        string user;
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            user = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            throw new UsageException($"--kubeconfig: its client certificate is not readable: {e.Message}", e);
        }

        return user.StartsWith(UserInfo.NodeUserPrefix, StringComparison.Ordinal) ? user[UserInfo.NodeUserPrefix.Length..] : null;
    }
}
