using System.Globalization;
using Berth.Tests.Infrastructure;

namespace Berth.Tests;

/// <summary>
/// The <c>berth</c> command line as a person meets it: a wrong command line gets one line naming the problem and a
/// pointer to <c>--help</c> (exit code 2), each command has its own help, and bash completion asks berth itself.
/// </summary>
public sealed class CommandLineTests
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("berth up: --data-dir needs a value, but --api-port follows it", "up", "--data-dir", "--api-port", "5")]
    [InlineData("berth up: unknown flag --api-prot (did you mean --api-port?)", "up", "--api-prot", "5")]
    [InlineData("berth: unknown command 'frobnicate'", "frobnicate")]
    [InlineData("berth: unknown command 'stauts' (did you mean status?)", "stauts")]
    [InlineData("berth up: unexpected 'extra' (this command takes flags only; a flag's value follows the flag)", "up", "extra")]
    [InlineData("berth up: --api-port: not a port number (0–65535): x", "up", "--api-port", "x")]
    [InlineData("berth server: --service-cidr: not a CIDR (like 10.0.0.0/8): 127.96.0.0/99", "server", "--service-cidr", "127.96.0.0/99")]
    [InlineData("berth agent: --connect-timeout: not a duration (like 40s, 1m30s, 500ms): soon", "agent", "--connect-timeout", "soon")]
    [InlineData("berth completion: only bash is supported, not zsh", "completion", "zsh")]
    [InlineData("berth completion: <shell> is missing", "completion")]
    [InlineData("berth agent: --server URL is required", "agent", "--token-file", "/dev/null")]
    [InlineData("berth agent: --kubeconfig and --token-file: give one (the kubeconfig names the server, the CA and the credential)", "agent", "--kubeconfig", "/dev/null", "--token-file", "/dev/null")]
    [InlineData("berth agent: --kubeconfig and --server: give one (the kubeconfig names the server, the CA and the credential)", "agent", "--kubeconfig", "/dev/null", "--server", "https://127.0.0.1:1")]
    [InlineData("berth agent: give --kubeconfig FILE (a node's: berth kubeconfig --node NAME), or --server URL --token-file FILE", "agent")]
    [InlineData("berth agent: --kubeconfig: not an existing file: /nonexistent/n1.kubeconfig", "agent", "--kubeconfig", "/nonexistent/n1.kubeconfig")]
    [InlineData("berth kubeconfig: --node: not a valid node name: N_1: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')", "kubeconfig", "--node", "N_1")]
    [InlineData("berth kubeconfig: --server goes with --node NAME", "kubeconfig", "--server", "https://127.0.0.1:1")]
    [InlineData("berth kubeconfig: --server: not an https:// URL: http://127.0.0.1:1", "kubeconfig", "--node", "n1", "--server", "http://127.0.0.1:1")]
    [InlineData("berth kubeconfig: --merge and --node: give one (--merge is for the admin kubeconfig)", "kubeconfig", "--node", "n1", "--merge")]
    [InlineData("berth: no command given")]
    public async Task WrongCommandLine_OneLineAndAPointerToHelp_ExitTwo(string line, params string[] args)
    {
        var run = await BerthCommand.RunAsync(_timeout, args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        var lines = run.Stderr.TrimEnd('\n').Split('\n');
        Assert.Equal(line, lines[0]);
        Assert.Matches(@"^Run 'berth( \S+)? --help' for its flags\.$|^Run 'berth --help' for the commands\.$", lines[1]);
        Assert.Equal(2, lines.Length);
    }

    [Theory]
    [InlineData("up", "usage: berth up [--config FILE] [flags]", "--proxy-min-sync-period DURATION    least time between two syncs (default 10ms)")]
    [InlineData("server", "usage: berth server [--config FILE] [flags]", "--node-monitor-grace-period DURATION")]
    [InlineData("agent", "usage: berth agent (--kubeconfig FILE | --server URL --token-file FILE) [--config FILE] [flags]", "--dns-addr IP[:PORT]|none")]
    [InlineData("reset", "usage: berth reset [--data-dir DIR] [--yes]", "-y, --yes")]
    [InlineData("kubeconfig", "usage: berth kubeconfig [--data-dir DIR] [--merge | --node NAME [--server URL]]", "--node NAME")]
    public async Task Help_OfEachCommand_ItsUsageAndFlags(string command, string usage, string flag)
    {
        var run = await BerthCommand.RunAsync(_timeout, command, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\n" + usage + "\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  " + flag, run.Stdout, StringComparison.Ordinal);
        Assert.Equal(run.Stdout, (await BerthCommand.RunAsync(_timeout, "help", command)).Stdout);
    }

    [Fact]
    public async Task Completion_BashScript_AsksBerthWhatMayFollow()
    {
        var script = await BerthCommand.RunAsync(_timeout, "completion", "bash");
        var commands = await BerthCommand.RunAsync(_timeout, "[suggest:7]", "berth s");
        var flags = await BerthCommand.RunAsync(_timeout, "[suggest:17]", "berth up --api-po");

        Assert.Equal(0, script.ExitCode);
        Assert.Contains("complete -o default -o bashdefault -F _berth_complete berth", script.Stdout, StringComparison.Ordinal);
        // The parser offers every name containing the word; bash's compgen keeps those that start with it.
        var offered = commands.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("server", offered);
        Assert.Contains("status", offered);
        Assert.DoesNotContain("kubeconfig", offered);
        Assert.Equal(["--api-port"], flags.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task ConfigFile_UnknownKey_IsAUsageErrorNamingFileAndKey()
    {
        var dir = Cluster.NewDataDir();
        try
        {
            var config = Path.Combine(dir, "berth.yaml");
            await File.WriteAllTextAsync(config, "api-port: 7443\napi-prot: 7443\n");

            var run = await BerthCommand.RunAsync(_timeout, "up", "--config", config, "--data-dir", dir);

            Assert.Equal(2, run.ExitCode);
            Assert.StartsWith("berth up: berth.yaml: unknown key 'api-prot'", run.Stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dir, "berth.db")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// One cluster's life through the commands around it: started from a config file (the command line wins: the
    /// file's api-port is not even a port), its kubeconfig printed and a merge only described, reset refused while it
    /// runs, then — stopped — reset asks, keeps the data on "n" and removes it on "y".
    /// </summary>
    [Fact]
    public async Task ConfigKubeconfigReset_AroundARunningAndAStoppedCluster()
    {
        using var block = AddressBlock.Claim();
        var dataDir = Cluster.NewDataDir();
        var home = Cluster.NewDataDir();
        try
        {
            var config = Path.Combine(home, "berth.yaml");
            await File.WriteAllTextAsync(config, "api-port: not-a-port\nmax-pods: 7\nlog-level: Information\n");
            string[] args = [.. Cluster.UpArgs(dataDir, block), "--config", config];
            var env = new Dictionary<string, string> { ["HOME"] = home };

            await using (var berth = await BerthCommand.StartAsync(dataDir, BerthCommand.ReadyText, args))
            {
                var kubectl = new ApiServer.Tests.Infrastructure.Kubectl(berth.KubeconfigPath, dataDir);
                var pods = await kubectl.OkAsync("get", "node", Cluster.NodeNameOf(block), "-o", "jsonpath={.status.capacity.pods}");
                Assert.Equal("7", pods.Trim());

                var printed = await BerthCommand.RunAsync(_timeout, null, env, "kubeconfig", "--data-dir", dataDir);
                Assert.Equal(0, printed.ExitCode);
                Assert.Equal(await File.ReadAllTextAsync(berth.KubeconfigPath), printed.Stdout);

                var merge = await BerthCommand.RunAsync(_timeout, null, env, "kubeconfig", "--data-dir", dataDir, "--merge");
                Assert.Equal(0, merge.ExitCode);
                Assert.Contains($"KUBECONFIG=~/.kube/config:{berth.KubeconfigPath} kubectl config view --flatten", merge.Stdout, StringComparison.Ordinal);
                Assert.False(Directory.Exists(Path.Combine(home, ".kube")));

                var refused = await BerthCommand.RunAsync(_timeout, null, env, "reset", "--data-dir", dataDir, "--yes");
                Assert.Equal(1, refused.ExitCode);
                Assert.Equal($"berth: {dataDir} belongs to a running berth (pid {berth.ProcessId.ToString(CultureInfo.InvariantCulture)}); stop it first. Nothing removed\n", refused.Stderr);
                Assert.True(File.Exists(berth.KubeconfigPath));
                Assert.Equal(0, await berth.StopAsync(TimeSpan.FromSeconds(30)));
            }

            var kept = await BerthCommand.RunAsync(_timeout, "n\n", env, "reset", "--data-dir", dataDir);
            Assert.Equal(1, kept.ExitCode);
            Assert.StartsWith($"Remove {dataDir} and everything in it", kept.Stdout, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dataDir, "kubeconfig.yaml")));

            var removed = await BerthCommand.RunAsync(_timeout, "y\n", env, "reset", "--data-dir", dataDir);
            Assert.Equal(0, removed.ExitCode);
            Assert.EndsWith($"berth: removed {dataDir}\n", removed.Stdout, StringComparison.Ordinal);
            Assert.False(Directory.Exists(dataDir));
        }
        finally
        {
            foreach (var dir in new[] { dataDir, home }.Where(Directory.Exists))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Reset_DirectoryBerthDidNotMake_RefusesAndRemovesNothing()
    {
        var dir = Cluster.NewDataDir();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "notes.txt"), "mine");

            var run = await BerthCommand.RunAsync(_timeout, "reset", "--data-dir", dir, "--yes");

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("does not look like a berth data directory", run.Stderr, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, "notes.txt")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
