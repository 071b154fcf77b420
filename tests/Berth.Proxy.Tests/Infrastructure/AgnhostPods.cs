using System.Net;
using Berth.Agnhost.Tests.Infrastructure;

namespace Berth.Proxy.Tests.Infrastructure;

/// <summary>
/// Endpoints as real processes: <c>dotnet berth.dll agnhost serve-hostname</c> (the node agent's built-in image) on
/// spare addresses of the fixture's block, hostnames <c>prefix-0</c>, <c>prefix-1</c>, …; all killed at the end.
/// </summary>
internal sealed class AgnhostPods : IAsyncDisposable
{
    public const int Port = 9376;

    private AgnhostPods(List<(IPAddress Address, string Name, AgnhostProcess Process)> pods) => Pods = pods;

    public IReadOnlyList<(IPAddress Address, string Name, AgnhostProcess Process)> Pods { get; }

    public IEnumerable<string> Names => Pods.Select(p => p.Name);

    public static async Task<AgnhostPods> StartAsync(ProxyFixture fixture, string prefix, int count)
    {
        var pods = new List<(IPAddress, string, AgnhostProcess)>();
        var started = new AgnhostPods(pods);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var address = fixture.NewAddress();
                var name = prefix + "-" + i;
                pods.Add((address, name, AgnhostProcess.Start(address, name, "serve-hostname", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }

            foreach (var (address, _, process) in pods)
            {
                await process.WaitListeningAsync(new IPEndPoint(address, Port));
            }

            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pod in Pods)
        {
            await pod.Process.DisposeAsync();
        }
    }
}
