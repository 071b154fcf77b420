using System.Diagnostics;
using System.Globalization;
using Berth.ApiServer.Tests.Infrastructure;

namespace Berth.Tests.Infrastructure;

/// <summary>
/// <c>berth up</c> in a temporary data directory on a free API port, with its own address block (service, pod and
/// load-balancer ranges no other test process uses, so that clusters running side by side never bind or hand out the
/// same address), and kubectl bound to the kubeconfig it wrote.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private Cluster(string dataDir, BerthCommand berth, AddressBlock block)
    {
        DataDir = dataDir;
        Berth = berth;
        Block = block;
        Kubectl = new Kubectl(berth.KubeconfigPath, dataDir);
    }

    public string DataDir { get; }

    public BerthCommand Berth { get; private set; }

    /// <summary>The addresses this cluster owns: its service, pod and load-balancer ranges.</summary>
    internal AddressBlock Block { get; }

    public string ClusterCidr => Block.ClusterCidr;

    public string NodeName => NodeNameOf(Block);

    public Kubectl Kubectl { get; }

    public static string NewDataDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "berth-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static async Task<Cluster> UpAsync(string? dataDir = null)
    {
        dataDir ??= NewDataDir();
        var block = AddressBlock.Claim();
        try
        {
            var berth = await StartUpAsync(dataDir, block);
            return new Cluster(dataDir, berth, block);
        }
        catch
        {
            block.Dispose();
            throw;
        }
    }

    /// <summary>The <c>berth up</c>/<c>berth server</c> flags that put a cluster's ranges into <paramref name="block"/>.</summary>
    internal static string[] RangeFlags(AddressBlock block) =>
        ["--service-cidr", block.ServiceCidr, "--cluster-cidr", block.ClusterCidr, "--lb-pool", block.LoadBalancerPool,
         "--service-node-port-range", block.NodePortRange];

    /// <summary>Kills berth with SIGKILL and starts it again on the same data directory.</summary>
    public async Task RestartAfterKillAsync()
    {
        await Berth.KillHardAsync();
        await Berth.DisposeAsync();
        Berth = await StartUpAsync(DataDir, Block);
    }

    private static Task<BerthCommand> StartUpAsync(string dataDir, AddressBlock block) =>
        BerthCommand.StartAsync(dataDir, BerthCommand.ReadyText, UpArgs(dataDir, block));

    /// <summary><c>berth up</c> on <paramref name="dataDir"/> with the node, ranges and a free API port of <paramref name="block"/>.</summary>
    internal static string[] UpArgs(string dataDir, AddressBlock block) =>
        ["up", "--data-dir", dataDir, "--api-port", BerthCommand.FreePort().ToString(CultureInfo.InvariantCulture), "--node-name", NodeNameOf(block), "--node-address", block.Spare(1), .. RangeFlags(block)];

    /// <summary>The node's name: Berth claims node names machine-wide, so each test cluster has its own.</summary>
    internal static string NodeNameOf(AddressBlock block) => $"e2e-{block.Octet}";

    /// <summary>Runs kubectl until it succeeds and <paramref name="accept"/> likes its output.</summary>
    public async Task<string> KubectlUntilAsync(Func<string, bool> accept, TimeSpan timeout, params string[] args)
    {
        var watch = Stopwatch.StartNew();
        var last = "";
        while (watch.Elapsed < timeout)
        {
            var result = await Kubectl.RunAsync(args);
            last = result.ExitCode + ": " + result.Stdout + result.Stderr;
            if (result.ExitCode == 0 && accept(result.Stdout))
            {
                return result.Stdout;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"kubectl {string.Join(' ', args)} never gave what was expected; last: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        await Berth.DisposeAsync();
        Block.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
