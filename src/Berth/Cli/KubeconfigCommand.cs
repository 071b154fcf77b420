using System.CommandLine;
using Berth.ApiServer;
using Berth.ApiServer.Security;
using Berth.Cli.Flags;
using Berth.Core.Validation;
using k8s;

namespace Berth.Cli;

/// <summary>
/// <c>berth kubeconfig [--data-dir DIR] [--merge]</c>: prints the admin kubeconfig. <c>--merge</c> prints the commands
/// that merge it into <c>~/.kube/config</c> for the user to run: Berth never writes a user's other kubeconfig files.
/// <c>--node NAME [--server URL]</c> instead writes (or reuses) the node credential a remote <c>berth agent --kubeconfig</c>
/// runs with (<see cref="NodeCredentials"/>) and prints only its path, so a script can capture it.
/// </summary>
internal static class KubeconfigCommand
{
    public static FlagCommand Create()
    {
        var dataDir = new DataDirFlag();
        var merge = Flag.Switch("--merge", null, "print the commands that add this cluster to ~/.kube/config (berth never writes it)");
        var node = Flag.Text("--node", "NAME", "write node NAME's kubeconfig (for berth agent --kubeconfig); print its path");
        var server = Flag.Text("--server", "URL", "with --node: the API server URL the agent uses (default: the admin kubeconfig's)");
        var command = new FlagCommand("kubeconfig", "print the admin kubeconfig of the data directory, or write a node's", "kubeconfig [--data-dir DIR] [--merge | --node NAME [--server URL]]");
        command.Add(new FlagGroup("flags", [dataDir.Option, merge, node, server]));
        command.SetAction(async (parsed, ct) =>
        {
            var nodeName = parsed.GetValue(node);
            var serverUrl = parsed.GetValue(server);
            if (nodeName is null && serverUrl is not null)
            {
                throw new UsageException("--server goes with --node NAME");
            }

            if (nodeName is not null && parsed.GetValue(merge))
            {
                throw new UsageException("--merge and --node: give one (--merge is for the admin kubeconfig)");
            }

            if (nodeName is not null && NameValidators.DNS1123Subdomain(nodeName, false) is { Count: > 0 } problems)
            {
                throw new UsageException($"--node: not a valid node name: {nodeName}: {string.Join("; ", problems)}");
            }

            if (serverUrl is not null && (!Uri.TryCreate(serverUrl, UriKind.Absolute, out var serverUri) || serverUri.Scheme != Uri.UriSchemeHttps))
            {
                throw new UsageException($"--server: not an https:// URL: {serverUrl}");
            }

            var options = new ApiServerOptions { DataDir = dataDir.Value(parsed) };
            var path = options.KubeconfigPath;
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"berth: no kubeconfig at {path}; start `berth up` first").ConfigureAwait(false);
                return 1;
            }

            if (nodeName is not null)
            {
                return await WriteNodeKubeconfigAsync(options.DataDir, serverUrl ?? KubernetesClientConfiguration.BuildConfigFromConfigFile(path).Host, nodeName).ConfigureAwait(false);
            }

            await Console.Out.WriteAsync(parsed.GetValue(merge) ? MergeCommands(path) : await File.ReadAllTextAsync(path, ct).ConfigureAwait(false)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static async Task<int> WriteNodeKubeconfigAsync(string dataDir, string serverUrl, string nodeName)
    {
        var credentials = ClusterCredentials.LoadExisting(dataDir);
        if (credentials is null)
        {
            await Console.Error.WriteLineAsync($"berth: {dataDir} holds no cluster CA; start `berth server` or `berth up` first").ConfigureAwait(false);
            return 1;
        }

        var path = NodeCredentials.WriteOrReuse(credentials, dataDir, serverUrl, nodeName, TimeProvider.System.GetUtcNow());
        await Console.Out.WriteLineAsync(path).ConfigureAwait(false);
        return 0;
    }

    /// <summary>kubectl's own merge (<c>KUBECONFIG=a:b kubectl config view --flatten</c>), with a backup, for the user to run.</summary>
    public static string MergeCommands(string path) => $"""
        # berth does not change your kubeconfig files. To add this cluster (context "berth") to ~/.kube/config, run:
        cp ~/.kube/config ~/.kube/config.bak 2>/dev/null; KUBECONFIG=~/.kube/config:{path} kubectl config view --flatten > /tmp/kubeconfig.merged && mv /tmp/kubeconfig.merged ~/.kube/config && chmod 600 ~/.kube/config
        kubectl config use-context berth
        # Where both files have a context, cluster or user of the same name (another berth's "berth"), ~/.kube/config's wins:
        # rename the old one first with  kubectl config rename-context berth berth-old
        # Or use this cluster without merging:  export KUBECONFIG={path}

        """;
}
