using System.Collections.Concurrent;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Storage;

public sealed class DurabilityTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "berth-durable-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly AddressBlock _block = AddressBlock.Claim();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _block.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task ConcurrentWrites_KillDashNine_EveryAcknowledgedWriteSurvives()
    {
        var port = BerthProcess.FreePort();
        var acknowledged = new ConcurrentDictionary<string, long>();
        long highestRv;
        await using (var server = await BerthProcess.StartAsync(_dataDir, port, _block))
        {
            using var client = server.CreateClient();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var name = $"w{w}-{i}";
                    try
                    {
                        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(
                            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name }, Data = new Dictionary<string, string> { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
                            "default");
                        acknowledged[name] = long.Parse(created.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);
                    }
                    catch (Exception) when (stop.IsCancellationRequested || server.ProcessId > 0)
                    {
                        // Writes in flight when the server dies are not acknowledged: they may or may not be there.
                        if (stop.IsCancellationRequested)
                        {
                            return;
                        }
                    }
                }
            })).ToList();

            // Kill mid-stream once a good number of writes have been acknowledged.
            while (acknowledged.Count < 300)
            {
                await Task.Delay(20);
            }

            server.KillHard();
            stop.Cancel();
            await Task.WhenAll(writers);
            highestRv = acknowledged.Values.Max();
        }

        await using var restarted = await BerthProcess.StartAsync(_dataDir, port, _block);
        using var after = restarted.CreateClient();
        var list = await after.CoreV1.ListNamespacedConfigMapAsync("default");
        var present = list.Items.ToDictionary(c => c.Metadata.Name, c => long.Parse(c.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
        var next = await after.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "after-restart" } }, "default");

        var missing = acknowledged.Keys.Where(k => !present.ContainsKey(k)).ToList();
        Assert.Empty(missing);
        Assert.All(acknowledged, a => Assert.Equal(a.Value, present[a.Key]));
        Assert.True(long.Parse(next.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > highestRv);
        Assert.True(long.Parse(list.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) >= highestRv);
    }

    [Fact]
    public async Task Watch_ResumedAfterRestart_MissesNothing()
    {
        var port = BerthProcess.FreePort();
        string fromRv;
        await using (var server = await BerthProcess.StartAsync(_dataDir, port, _block))
        {
            using var client = server.CreateClient();
            var first = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "resume-0" } }, "default");
            fromRv = first.Metadata.ResourceVersion;
            for (var i = 1; i <= 5; i++)
            {
                await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"resume-{i}" } }, "default");
            }

            server.KillHard();
        }

        await using var restarted = await BerthProcess.StartAsync(_dataDir, port, _block);
        using var after = restarted.CreateClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<string>();
        var events = after.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: fromRv, cancellationToken: cts.Token);
        await foreach (var (type, item) in events)
        {
            seen.Add($"{type}:{item.Metadata.Name}");
            if (seen.Count == 5)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"Added:resume-{i}"), seen);
    }
}
