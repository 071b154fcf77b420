using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using k8s;

namespace Berth.ApiServer.Tests.Infrastructure;

/// <summary>
/// <c>berth server</c> as a separate process (the berth.dll built beside the tests), for tests that kill it. It is
/// stopped by its own process id when disposed.
/// </summary>
public sealed class BerthProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BerthProcess(Process process, string dataDir, int port)
    {
        _process = process;
        DataDir = dataDir;
        Port = port;
    }

    public string DataDir { get; }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public string KubeconfigPath => Path.Combine(DataDir, "kubeconfig.yaml");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts <c>berth server</c> with the ranges of <paramref name="block"/> (hold it as long as the data directory:
    /// a restart must find its ranges free — a cluster's ranges are kept in its data directory, and taking the machine's
    /// default ones would race with other tests' servers); with <paramref name="umask"/> (e.g. "022") under that umask.
    /// </summary>
    internal static async Task<BerthProcess> StartAsync(string dataDir, int port, AddressBlock block, string? umask = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "berth.dll");
        string[] command = ["dotnet", dll, "server", "--data-dir", dataDir, "--api-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--service-cidr", block.ServiceCidr, "--cluster-cidr", block.ClusterCidr, "--lb-pool", block.LoadBalancerPool, "--service-node-port-range", block.NodePortRange];
        // The umask is the process's own: set in a shell that then becomes berth (exec), so berth's pid is the one we hold.
        var argv = umask is null ? command : ["sh", "-c", "umask " + umask + " && exec \"$@\"", "sh", .. command];
        var info = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in argv.Skip(1))
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        var server = new BerthProcess(process, dataDir, port);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            // berth server's start ends with its ready block: "berth: ready in 0.8 s".
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.Contains(" ready in ", StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.ReadToEndAsync();
                    _ = process.StandardError.ReadToEndAsync();
                    return server;
                }
            }
        }
        catch (OperationCanceledException)
        {
            await server.DisposeAsync();
            throw new TimeoutException("berth server did not start within 60 s");
        }

        var err = await process.StandardError.ReadToEndAsync();
        await server.DisposeAsync();
        throw new InvalidOperationException("berth server exited: " + err);
    }

    public Kubernetes CreateClient() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));

    /// <summary>An HttpClient that trusts the cluster CA and sends the admin token.</summary>
    public HttpClient CreateHttpClient()
    {
        var caPem = File.ReadAllText(Path.Combine(DataDir, "ca.crt"));
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                using var root = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(caPem);
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(root);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return cert is not null && chain.Build(cert);
            },
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{Port}") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(DataDir, "admin.token")).Trim());
        return http;
    }

    /// <summary>Asserts that the peak resident memory grew less than <paramref name="bound"/> above <paramref name="baseline"/>.</summary>
    public void AssertPeakGrowthBelow(long baseline, long bound)
    {
        var growth = PeakResidentBytes() - baseline;
        Assert.True(growth < bound, $"the server's peak resident memory grew by {growth / (1024 * 1024)} MiB");
    }

    /// <summary>The most resident memory the process has had (VmHWM in /proc/PID/status), in bytes.</summary>
    public long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("no VmHWM in /proc status");
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
