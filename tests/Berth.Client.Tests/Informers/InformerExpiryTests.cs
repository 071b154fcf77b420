using Berth.Client.Informers;
using Berth.Client.Tests.Infrastructure;
using k8s.Models;

namespace Berth.Client.Tests.Informers;

/// <summary>Informers after a compacted watch (410 Expired) against the real API server (compaction drops history for
/// the whole store, so these tests get a server of their own). Run against both transports (<see cref="InformerExpiryTestsOverHttps"/>,
/// <see cref="InformerExpiryTestsInProcess"/>): one contract, two implementations.</summary>
public abstract class InformerExpiryTests(ApiServerFixture server, IApiClient client)
{
    private readonly IApiClient _client = client;

    [Fact]
    public async Task RunAsync_ResumeAfterCompaction_RelistsAndReconcilesCache()
    {
        var ns = await server.NewNamespaceAsync();
        await _client.CreateAsync(Objects.ConfigMap(ns, "keep"), CancellationToken.None);
        await _client.CreateAsync(Objects.ConfigMap(ns, "gone"), CancellationToken.None);
        var changed = await _client.CreateAsync(Objects.ConfigMap(ns, "changed"), CancellationToken.None);
        var counting = new CountingApiClient(_client);
        var informer = new Informer<V1ConfigMap>(counting, new InformerOptions { Namespace = ns });
        var handler = new RecordingHandler<V1ConfigMap>();
        informer.AddHandler(handler);
        using (var first = new CancellationTokenSource())
        {
            var run = informer.RunAsync(first.Token);
            await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
            await first.CancelAsync();
            await run;
        }

        var before = handler.Events.Count;
        var staleVersion = informer.LastSyncResourceVersion;
        for (var i = 0; i < 20; i++)
        {
            await _client.CreateAsync(Objects.ConfigMap(ns, "new" + i), CancellationToken.None);
        }

        await _client.DeleteAsync<V1ConfigMap>(ns, "gone", null, CancellationToken.None);
        changed.Data["value"] = "2";
        await _client.UpdateAsync(changed, CancellationToken.None);
        await server.Host.Store.CompactAsync(server.Host.Store.CurrentRevision, CancellationToken.None);

        using var second = new CancellationTokenSource();
        var resumed = informer.RunAsync(second.Token);
        await Eventually.TrueAsync(() => handler.Events.Count >= before + 22, "the re-list's differences");
        await second.CancelAsync();
        await resumed;

        var gap = handler.Events.Skip(before).ToList();
        Assert.Equal(20, gap.Count(e => e.StartsWith($"add {ns}/new", StringComparison.Ordinal)));
        Assert.Contains($"delete {ns}/gone", gap);
        Assert.Contains($"update {ns}/changed", gap);
        Assert.DoesNotContain(gap, e => e.Contains("/keep", StringComparison.Ordinal));
        Assert.Equal(22, gap.Count);
        Assert.Equal(1, counting.Expired);
        Assert.Equal(2, counting.Lists);
        Assert.NotEqual(staleVersion, informer.LastSyncResourceVersion);
        var list = await _client.ListAsync<V1ConfigMap>(ns, null, CancellationToken.None);
        Assert.Equal(
            list.Items.Select(i => (i.Metadata.Name, i.Metadata.ResourceVersion)).Order(),
            informer.Lister.List(ns).Select(i => (i.Metadata.Name, i.Metadata.ResourceVersion)).Order());
    }

    [Fact]
    public async Task WatchAsync_CompactedResourceVersion_ThrowsResourceExpiredException()
    {
        var ns = await server.NewNamespaceAsync();
        var list = await _client.ListAsync<V1ConfigMap>(ns, null, CancellationToken.None);
        await _client.CreateAsync(Objects.ConfigMap(ns, "a"), CancellationToken.None);
        await _client.CreateAsync(Objects.ConfigMap(ns, "b"), CancellationToken.None);
        await server.Host.Store.CompactAsync(server.Host.Store.CurrentRevision, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        var error = await Assert.ThrowsAsync<ResourceExpiredException>(async () =>
        {
            await foreach (var ev in _client.WatchAsync<V1ConfigMap>(ns, list.ResourceVersion, null, timeout.Token))
            {
            }
        });

        Assert.Equal(410, error.Code);
        Assert.True(error.IsExpired);
    }
}

public sealed class InformerExpiryTestsOverHttps(ApiServerFixture server) : InformerExpiryTests(server, server.Client), IClassFixture<ApiServerFixture>;

public sealed class InformerExpiryTestsInProcess(ApiServerFixture server) : InformerExpiryTests(server, server.InProcessClient), IClassFixture<ApiServerFixture>;
