using System.Diagnostics;
using System.Globalization;
using Berth.ApiServer.Tests.Infrastructure;

namespace Berth.Tests.Infrastructure;

/// <summary>
/// <c>berth up</c> in a temporary data directory on a free API port, with its own pod address range (so that test
/// assemblies running side by side never hand out the same pod IP), and kubectl bound to the kubeconfig it wrote.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private Cluster(string dataDir, BerthCommand berth, string clusterCidr)
    {
        DataDir = dataDir;
        Berth = berth;
        ClusterCidr = clusterCidr;
        Kubectl = new Kubectl(berth.KubeconfigPath, dataDir);
    }

    public string DataDir { get; }

    public BerthCommand Berth { get; private set; }

    public string ClusterCidr { get; }

    public Kubectl Kubectl { get; }

    public static string NewDataDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "berth-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A /16 of 127/8 that no other test assembly uses (they take 127.244.x).</summary>
    public static string RandomClusterCidr() => $"127.{Random.Shared.Next(150, 200)}.0.0/16";

    public static async Task<Cluster> UpAsync(string? dataDir = null, string? clusterCidr = null)
    {
        dataDir ??= NewDataDir();
        clusterCidr ??= RandomClusterCidr();
        var berth = await StartUpAsync(dataDir, clusterCidr);
        return new Cluster(dataDir, berth, clusterCidr);
    }

    /// <summary>Kills berth with SIGKILL and starts it again on the same data directory.</summary>
    public async Task RestartAfterKillAsync()
    {
        await Berth.KillHardAsync();
        await Berth.DisposeAsync();
        Berth = await StartUpAsync(DataDir, ClusterCidr);
    }

    private static Task<BerthCommand> StartUpAsync(string dataDir, string clusterCidr) =>
        BerthCommand.StartAsync(dataDir, "berth: node ",
            "up", "--data-dir", dataDir, "--api-port", BerthCommand.FreePort().ToString(CultureInfo.InvariantCulture),
            "--node-name", "e2e", "--cluster-cidr", clusterCidr);

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
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
