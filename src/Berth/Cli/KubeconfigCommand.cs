using System.CommandLine;
using Berth.ApiServer;
using Berth.Cli.Flags;

namespace Berth.Cli;

/// <summary>
/// <c>berth kubeconfig [--data-dir DIR] [--merge]</c>: prints the admin kubeconfig. <c>--merge</c> prints the commands
/// that merge it into <c>~/.kube/config</c> for the user to run: Berth never writes a user's other kubeconfig files.
/// </summary>
internal static class KubeconfigCommand
{
    public static FlagCommand Create()
    {
        var dataDir = new DataDirFlag();
        var merge = Flag.Switch("--merge", null, "print the commands that add this cluster to ~/.kube/config (berth never writes it)");
        var command = new FlagCommand("kubeconfig", "print the admin kubeconfig of the data directory", "kubeconfig [--data-dir DIR] [--merge]");
        command.Add(new FlagGroup("flags", [dataDir.Option, merge]));
        command.SetAction(async (parsed, ct) =>
        {
            var path = new ApiServerOptions { DataDir = dataDir.Value(parsed) }.KubeconfigPath;
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"berth: no kubeconfig at {path}; start `berth up` first").ConfigureAwait(false);
                return 1;
            }

            await Console.Out.WriteAsync(parsed.GetValue(merge) ? MergeCommands(path) : await File.ReadAllTextAsync(path, ct).ConfigureAwait(false)).ConfigureAwait(false);
            return 0;
        });
        return command;
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
