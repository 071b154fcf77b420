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

    public static async Task<BerthProcess> StartAsync(string dataDir, int port)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "berth.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "server", "--data-dir", dataDir, "--api-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        var server = new BerthProcess(process, dataDir, port);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync();
            if (line is null)
            {
                var err = await process.StandardError.ReadToEndAsync();
                throw new InvalidOperationException("berth server exited: " + err);
            }

            if (line.Contains("listening", StringComparison.Ordinal))
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new TimeoutException("berth server did not start");
            }
        }

        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return server;
    }

    public Kubernetes CreateClient() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));

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
