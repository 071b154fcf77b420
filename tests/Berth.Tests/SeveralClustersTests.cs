using System.Globalization;
using Berth.Tests.Infrastructure;

namespace Berth.Tests;

/// <summary>Several Berths on one machine: one per data directory, and none takes what another holds.</summary>
public sealed class SeveralClustersTests
{
    [Fact]
    public async Task Up_SecondOnTheSameDataDirectory_RefusesInOneLineNamingTheHolder_AndChangesNothing()
    {
        await using var first = await Cluster.UpAsync();
        var kubeconfig = await File.ReadAllTextAsync(first.Berth.KubeconfigPath);

        var run = await BerthCommand.RunAsync(TimeSpan.FromSeconds(60),
            "up", "--data-dir", first.DataDir, "--api-port", BerthCommand.FreePort().ToString(CultureInfo.InvariantCulture));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"berth: the data directory {first.DataDir} is in use by another berth (pid {first.Berth.ProcessId}); stop it first, or give this one another --data-dir", run.Stderr.Trim());
        Assert.Equal(kubeconfig, await File.ReadAllTextAsync(first.Berth.KubeconfigPath));
        await first.Kubectl.OkAsync("get", "nodes", first.NodeName);
    }

    [Fact]
    public async Task Up_PinnedRangeHeldByAnotherBerth_RefusesNamingTheRangeAndHolder()
    {
        await using var first = await Cluster.UpAsync();
        var dataDir = Cluster.NewDataDir();
        try
        {
            var run = await BerthCommand.RunAsync(TimeSpan.FromSeconds(60),
                "up", "--data-dir", dataDir, "--api-port", "0", "--service-cidr", first.Block.ServiceCidr);

            Assert.Equal(1, run.ExitCode);
            Assert.Equal($"berth: service CIDR {first.Block.ServiceCidr} is held by another berth (pid {first.Berth.ProcessId}, data directory {first.DataDir}); stop it, or choose another --service-cidr", run.Stderr.Trim());
            Assert.False(File.Exists(Path.Combine(dataDir, "kubeconfig.yaml")));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Up_BusyApiPort_SaysSoInOneLine()
    {
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
        using var block = AddressBlock.Claim();
        var dataDir = Cluster.NewDataDir();
        try
        {
            var run = await BerthCommand.RunAsync(TimeSpan.FromSeconds(60),
                ["server", "--data-dir", dataDir, "--api-port", port.ToString(CultureInfo.InvariantCulture), .. Cluster.RangeFlags(block)]);

            Assert.Equal(1, run.ExitCode);
            var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"berth: the API port {port} is in use by another program", line, StringComparison.Ordinal);
            Assert.EndsWith("choose another with --api-port (0 picks a free one)", line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
