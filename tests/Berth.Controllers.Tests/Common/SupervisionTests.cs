using System.Collections.Concurrent;
using Berth.Client;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using Berth.Controllers.Tests.Integration;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Tests.Common;

/// <summary>
/// Issue 11: a worker whose sync throws for one key logs it, retries that key with back-off and keeps syncing the
/// others; a controller that stops anyway is reported by <see cref="ControllerManager.Failed"/>. Against the real
/// API server.
/// </summary>
public sealed class SupervisionTests : IClassFixture<ControlPlaneFixture>
{
    private readonly ControlPlaneFixture _fixture;

    public SupervisionTests(ControlPlaneFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Worker_SyncThrowsForOneKey_OtherKeysStillSyncAndTheKeyIsRetried()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var controller = (MarkingController?)null;
        await using var manager = await _fixture.StartAsync(new ControllerOptions { Workers = 1 }, m => controller = new MarkingController(m, ns));
        await CreateAsync(ns, "before");
        await CreateAsync(ns, MarkingController.Broken);

        // One worker only: had the broken key ended it, nothing created later would sync.
        await Eventually.TrueAsync(() => controller!.Failures.Count(f => f.Key == $"{ns}/{MarkingController.Broken}") >= 3, "the broken key retried with back-off");
        await CreateAsync(ns, "after");

        await Eventually.TrueAsync(async () => await IsMarkedAsync(ns, "before") && await IsMarkedAsync(ns, "after"), "the other keys synced");
        Assert.All(controller!.Failures, f => Assert.IsType<InvalidOperationException>(f.Error));
        Assert.False(await IsMarkedAsync(ns, MarkingController.Broken));
        Assert.False(manager.Failed.IsCompleted);
    }

    [Fact]
    public async Task Manager_ControllerStops_FailedNamesItAndTheOthersRunOn()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var logs = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        using var client = Berth.Client.Http.HttpApiClient.FromKubeconfig(_fixture.Host.KubeconfigPath);
        var manager = new ControllerManager(client, new ControllerOptions(), loggers);
        await using (manager)
        {
            manager.Add(m => new MarkingController(m, ns));
            manager.Add(_ => new StoppingController());
            await manager.StartAsync(CancellationToken.None);

            var failure = await manager.Failed.WaitAsync(TimeSpan.FromSeconds(30));
            await CreateAsync(ns, "still");

            Assert.Equal("stopping", failure.Controller);
            Assert.Equal("controller \"stopping\" stopped: NotSupportedException: out of order", failure.Message);
            Assert.Single(logs.Messages, m => m.StartsWith("Controller stopping stopped while the control plane runs", StringComparison.Ordinal));
            await Eventually.TrueAsync(() => IsMarkedAsync(ns, "still"), "the other controller still syncing");
        }
    }

    [Fact]
    public async Task Manager_Disposed_NoFailure()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var manager = await _fixture.StartAsync(null, m => new MarkingController(m, ns));

        await manager.DisposeAsync();

        Assert.False(manager.Failed.IsCompleted);
    }

    private Task CreateAsync(string ns, string name) =>
        _fixture.Client.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns } }, CancellationToken.None);

    private async Task<bool> IsMarkedAsync(string ns, string name) =>
        (await _fixture.Client.GetAsync<V1ConfigMap>(ns, name, CancellationToken.None))?.Metadata.Annotations?.ContainsKey(MarkingController.Mark) == true;

    /// <summary>Marks each ConfigMap of its namespace with an annotation, through <c>WorkerLoop</c>; one name always throws.</summary>
    private sealed class MarkingController : IController
    {
        public const string Broken = "broken";
        public const string Mark = "test.berth.dev/synced";

        private readonly IApiClient _client;
        private readonly WorkQueue<string> _queue = new();
        private readonly int _workers;

        public MarkingController(ControllerManager manager, string ns)
        {
            _client = manager.Client;
            _workers = manager.Options.Workers;
            manager.Informers.For<V1ConfigMap>().AddHandler(new InformerHandler<V1ConfigMap>
            {
                Added = (cm, _) => Enqueue(cm, ns),
                Updated = (_, cm) => Enqueue(cm, ns),
            });
        }

        public ConcurrentQueue<(string Key, Exception Error)> Failures { get; } = new();

        public string Name => "marking";

        public Task RunAsync(CancellationToken cancellationToken) =>
            WorkerLoop.RunAsync(_queue, _workers, SyncAsync, (key, failure) => Failures.Enqueue((key, failure.Error)), cancellationToken);

        private void Enqueue(V1ConfigMap cm, string ns)
        {
            if (cm.Metadata.NamespaceProperty == ns && cm.Metadata.Annotations?.ContainsKey(Mark) != true)
            {
                _queue.Add(ObjectKeys.Of(cm));
            }
        }

        private async Task SyncAsync(string key, CancellationToken cancellationToken)
        {
            var (ns, name) = ObjectKeys.Split(key);
            if (name == Broken)
            {
                throw new InvalidOperationException("a bug that only this key reaches");
            }

            await _client.PatchAsync<V1ConfigMap>(ns, name, V1Patch.PatchType.MergePatch, "{\"metadata\":{\"annotations\":{\"" + Mark + "\":\"true\"}}}", cancellationToken);
        }
    }

    private sealed class StoppingController : IController
    {
        public string Name => "stopping";

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            await Task.Yield();
            throw new NotSupportedException("out of order");
        }
    }
}
