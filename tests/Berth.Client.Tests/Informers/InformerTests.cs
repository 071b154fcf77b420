using Berth.Client.Informers;
using Berth.Client.Tests.Infrastructure;
using k8s.Models;

namespace Berth.Client.Tests.Informers;

/// <summary>Informers (list, watch, resync, handlers) against the real API server. Run against both transports (<see cref="InformerTestsOverHttps"/>,
/// <see cref="InformerTestsInProcess"/>): one contract, two implementations.</summary>
public abstract class InformerTests(ApiServerFixture server, IApiClient client)
{
    private readonly IApiClient _client = client;

    [Fact]
    public async Task RunAsync_CreatesUpdatesDeletes_HandlerSeesThemInOrder()
    {
        var ns = await server.NewNamespaceAsync();
        await _client.CreateAsync(Objects.ConfigMap(ns, "before"), CancellationToken.None);
        var informer = new Informer<V1ConfigMap>(_client, new InformerOptions { Namespace = ns });
        var handler = new RecordingHandler<V1ConfigMap>();
        informer.AddHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        var a = await _client.CreateAsync(Objects.ConfigMap(ns, "a"), CancellationToken.None);
        await _client.CreateAsync(Objects.ConfigMap(ns, "b"), CancellationToken.None);
        a.Data["value"] = "2";
        await _client.UpdateAsync(a, CancellationToken.None);
        await _client.DeleteAsync<V1ConfigMap>(ns, "b", null, CancellationToken.None);
        await _client.DeleteAsync<V1ConfigMap>(ns, "before", null, CancellationToken.None);
        await Eventually.TrueAsync(() => handler.Events.Count >= 6, "six notifications");
        await stop.CancelAsync();
        await run;

        Assert.Equal(
            [$"add {ns}/before initial", $"add {ns}/a", $"add {ns}/b", $"update {ns}/a", $"delete {ns}/b", $"delete {ns}/before"],
            handler.Events);
        Assert.Equal("2", informer.Lister.Get(ns, "a")!.Data["value"]);
        await AssertCacheMatchesListAsync(informer, ns);
    }

    [Fact]
    public async Task RunAsync_ServerEndsEachWatch_NoEventMissed()
    {
        var ns = await server.NewNamespaceAsync();
        var counting = new CountingApiClient(_client);
        var informer = new Informer<V1ConfigMap>(counting, new InformerOptions { Namespace = ns, WatchTimeout = TimeSpan.FromSeconds(1) });
        var handler = new RecordingHandler<V1ConfigMap>();
        informer.AddHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        for (var i = 0; i < 12; i++)
        {
            await _client.CreateAsync(Objects.ConfigMap(ns, "cm" + i), CancellationToken.None);
            await Task.Delay(300);
        }

        await Eventually.TrueAsync(() => handler.Events.Count >= 12, "twelve adds");
        await stop.CancelAsync();
        await run;

        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"add {ns}/cm{i}"), handler.Events);
        Assert.True(counting.Watches >= 3, $"expected the server to end several watches, saw {counting.Watches}");
        Assert.Equal(1, counting.Lists);
        await AssertCacheMatchesListAsync(informer, ns);
    }

    [Fact]
    public async Task Lister_Indexers_FindByNamespaceAndLabel()
    {
        var ns = await server.NewNamespaceAsync();
        await _client.CreateAsync(Objects.ConfigMap(ns, "w1", labels: new Dictionary<string, string> { ["tier"] = "web" }), CancellationToken.None);
        await _client.CreateAsync(Objects.ConfigMap(ns, "w2", labels: new Dictionary<string, string> { ["tier"] = "web" }), CancellationToken.None);
        await _client.CreateAsync(Objects.ConfigMap(ns, "d1", labels: new Dictionary<string, string> { ["tier"] = "db" }), CancellationToken.None);
        var informer = new Informer<V1ConfigMap>(_client, new InformerOptions { Namespace = ns });
        informer.AddIndexer("tier", Indexers.ByLabel<V1ConfigMap>("tier"));
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        var d1 = await _client.GetAsync<V1ConfigMap>(ns, "d1", CancellationToken.None);
        d1!.Metadata.Labels["tier"] = "web";
        await _client.UpdateAsync(d1, CancellationToken.None);
        await Eventually.TrueAsync(() => informer.Lister.ByIndex("tier", "web").Count == 3, "d1 re-indexed");
        await stop.CancelAsync();
        await run;

        Assert.Equal(3, informer.Lister.List(ns).Count);
        Assert.Empty(informer.Lister.List("elsewhere"));
        Assert.Empty(informer.Lister.ByIndex("tier", "db"));
        Assert.Equal(["d1", "w1", "w2"], informer.Lister.ByIndex("tier", "web").Select(c => c.Metadata.Name).Order());
        Assert.Equal(3, informer.Lister.ByIndex(Indexers.Namespace, ns).Count);
    }

    [Fact]
    public async Task AddHandler_AfterSync_ReplaysCacheAsAdds()
    {
        var ns = await server.NewNamespaceAsync();
        await _client.CreateAsync(Objects.ConfigMap(ns, "a"), CancellationToken.None);
        var informer = new Informer<V1ConfigMap>(_client, new InformerOptions { Namespace = ns });
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        var late = new RecordingHandler<V1ConfigMap>();
        informer.AddHandler(late);
        await _client.CreateAsync(Objects.ConfigMap(ns, "b"), CancellationToken.None);
        await Eventually.TrueAsync(() => late.Events.Count >= 2, "replay and a new add");
        await stop.CancelAsync();
        await run;

        Assert.Equal([$"add {ns}/a initial", $"add {ns}/b"], late.Events);
    }

    [Fact]
    public async Task RunAsync_ResyncPeriod_RedeliversCacheAsUpdates()
    {
        var ns = await server.NewNamespaceAsync();
        await _client.CreateAsync(Objects.ConfigMap(ns, "a"), CancellationToken.None);
        var time = new ManualTimeProvider();
        var informer = new Informer<V1ConfigMap>(_client, new InformerOptions { Namespace = ns, ResyncPeriod = TimeSpan.FromMinutes(1), TimeProvider = time });
        var handler = new RecordingHandler<V1ConfigMap>();
        informer.AddHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        time.Advance(TimeSpan.FromMinutes(1));
        time.Advance(TimeSpan.FromMinutes(1));
        await stop.CancelAsync();
        await run;

        Assert.Equal([$"add {ns}/a initial", $"update {ns}/a resync", $"update {ns}/a resync"], handler.Events);
    }

    [Fact]
    public async Task RunAsync_ManyInformersOnOneServer_AllConverge()
    {
        var ns1 = await server.NewNamespaceAsync();
        var ns2 = await server.NewNamespaceAsync();
        var informers = new List<(Informer<V1ConfigMap> Informer, string? Namespace, string? Selector)>();
        foreach (var (ns, selector) in new[] { (ns1, (string?)null), (ns2, null), (ns1, "parity=even"), (ns2, "parity=odd") })
        {
            for (var copy = 0; copy < 3; copy++)
            {
                informers.Add((new Informer<V1ConfigMap>(_client, new InformerOptions { Namespace = ns, LabelSelector = selector }), ns, selector));
            }
        }

        var allNamespaces = new Informer<V1ConfigMap>(_client, new InformerOptions { LabelSelector = "suite=many" });
        using var stop = new CancellationTokenSource();
        var runs = informers.Select(i => i.Informer).Append(allNamespaces).Select(i => i.RunAsync(stop.Token)).ToList();
        await Task.WhenAll(informers.Select(i => i.Informer.WaitForSyncAsync(CancellationToken.None))).WaitAsync(TimeSpan.FromSeconds(15));

        for (var i = 0; i < 20; i++)
        {
            var labels = new Dictionary<string, string> { ["parity"] = i % 2 == 0 ? "even" : "odd", ["suite"] = "many" };
            await _client.CreateAsync(Objects.ConfigMap(i < 10 ? ns1 : ns2, "cm" + i, labels: labels), CancellationToken.None);
        }

        await _client.DeleteAsync<V1ConfigMap>(ns1, "cm0", null, CancellationToken.None);
        await _client.DeleteAsync<V1ConfigMap>(ns2, "cm11", null, CancellationToken.None);
        await Eventually.TrueAsync(
            () => informers.All(i => i.Informer.Lister.List().Count == (i.Selector is null ? 9 : 4)) &&
                allNamespaces.Lister.List().Count == 18,
            "every informer to converge");
        await stop.CancelAsync();
        await Task.WhenAll(runs);

        foreach (var (informer, ns, selector) in informers)
        {
            await AssertCacheMatchesListAsync(informer, ns, selector);
        }

        Assert.Equal(18, allNamespaces.Lister.List().Count);
    }

    private async Task AssertCacheMatchesListAsync(Informer<V1ConfigMap> informer, string? ns, string? selector = null)
    {
        var list = await _client.ListAsync<V1ConfigMap>(ns, new ListQuery { LabelSelector = selector }, CancellationToken.None);
        var expected = list.Items.Select(i => (ObjectKeys.Of(i), i.Metadata.ResourceVersion)).Order();
        var actual = informer.Lister.List(ns).Select(i => (ObjectKeys.Of(i), i.Metadata.ResourceVersion)).Order();
        Assert.Equal(expected, actual);
    }
}

public sealed class InformerTestsOverHttps(ApiServerFixture server) : InformerTests(server, server.Client), IClassFixture<ApiServerFixture>;

public sealed class InformerTestsInProcess(ApiServerFixture server) : InformerTests(server, server.InProcessClient), IClassFixture<ApiServerFixture>;
