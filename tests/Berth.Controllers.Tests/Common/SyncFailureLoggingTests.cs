using Berth.Controllers.ReplicaSets;
using Berth.Controllers.Tests.Integration;
using Berth.Controllers.Tests.ReplicaSets;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Tests.Common;

/// <summary>
/// Issue 10: routine outcomes are not warnings with stack traces. A sync that meets a real 404 (the object was deleted
/// meanwhile) or a real 409 (it changed meanwhile) from the real API server is retried quietly, at Debug; one that
/// throws as a bug would is still an Error with its exception. Through the real ReplicaSet controller.
/// </summary>
public sealed class SyncFailureLoggingTests : IClassFixture<ControlPlaneFixture>
{
    private const int SyncFailedEventId = 4200;

    private readonly ControlPlaneFixture _fixture;

    public SyncFailureLoggingTests(ControlPlaneFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Sync_ObjectDeletedMeanwhile_RetriedAtDebugWithoutWarning()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await using var run = await StartAsync(ns, rs => _fixture.Client.DeleteAsync<V1ReplicaSet>(ns, rs.Metadata.Name, null, CancellationToken.None));

        var failed = await Eventually.ValueAsync(() => Task.FromResult(run.SyncFailures(ns).FirstOrDefault()), "the sync met the 404");

        Assert.Equal(LogLevel.Debug, failed.Level);
        Assert.Null(failed.Exception);
        Assert.Contains("not found", failed.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(run.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Sync_ObjectChangedMeanwhile_ConflictRetriedAtDebugUntilTheStatusIsWritten()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await using var run = await StartAsync(ns, rs => _fixture.Client.PatchAsync<V1ReplicaSet>(
            ns, rs.Metadata.Name, V1Patch.PatchType.MergePatch, "{\"metadata\":{\"labels\":{\"changed\":\"meanwhile\"}}}", CancellationToken.None));

        await Eventually.TrueAsync(async () => (await _fixture.Client.GetAsync<V1ReplicaSet>(ns, "web", CancellationToken.None))?.Status?.ObservedGeneration >= 1, "the status written on a retry");

        // At least one 409 (more if a retry ran before the informer delivered the changed object), each at Debug.
        Assert.NotEmpty(run.SyncFailures(ns));
        Assert.All(run.SyncFailures(ns), f => Assert.True(f.Level == LogLevel.Debug && f.Exception is null, f.ToString()));
        Assert.DoesNotContain(run.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Sync_NamespaceBeingDeleted_PodCreatesRefusedAtDebugWithoutWarning()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await using var run = await StartAsync(ns, _ => Task.CompletedTask);
        await Eventually.TrueAsync(async () => (await _fixture.Client.GetAsync<V1ReplicaSet>(ns, "web", CancellationToken.None))?.Status is not null, "the first sync done");

        // No namespace controller runs here: the namespace stays Terminating, and every create in it is refused.
        await _fixture.Client.DeleteAsync<V1Namespace>(null, ns, null, CancellationToken.None);
        await _fixture.Client.PatchAsync<V1ReplicaSet>(ns, "web", V1Patch.PatchType.MergePatch, "{\"spec\":{\"replicas\":2}}", CancellationToken.None);

        var failed = await Eventually.ValueAsync(() => Task.FromResult(run.SyncFailures(ns).FirstOrDefault()), "the creates refused");
        Assert.Equal(LogLevel.Debug, failed.Level);
        Assert.Contains("being terminated", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Sync_UnexpectedException_LoggedAsErrorWithTheException()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await using var run = await StartAsync(ns, _ => throw new InvalidOperationException("a bug in the status write"));

        var failed = await Eventually.ValueAsync(() => Task.FromResult(run.SyncFailures(ns).FirstOrDefault()), "the sync threw");

        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.IsType<InvalidOperationException>(failed.Exception);
        Assert.Contains($"Syncing ReplicaSet {ns}/web failed: InvalidOperationException: a bug in the status write; retrying", failed.Message, StringComparison.Ordinal);
    }

    /// <summary>Starts the ReplicaSet controller over a client that runs <paramref name="beforeFirstStatusWrite"/> first, and creates ReplicaSet web.</summary>
    private async Task<Run> StartAsync(string ns, Func<V1ReplicaSet, Task> beforeFirstStatusWrite)
    {
        var logs = new RecordingLoggerProvider();
        var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var http = Berth.Client.Http.HttpApiClient.FromKubeconfig(_fixture.Host.KubeconfigPath);
        var manager = await _fixture.StartAsync(new FirstStatusWriteClient(http, ns, beforeFirstStatusWrite), null, loggers, m => new ReplicaSetController(m));
        var run = new Run(logs, loggers, http, manager);
        await _fixture.Client.CreateAsync(Workloads.ReplicaSet(ns, "web", 0), CancellationToken.None);
        return run;
    }

    private sealed record Run(RecordingLoggerProvider Logs, ILoggerFactory Loggers, IDisposable Client, ControllerManager Manager) : IAsyncDisposable
    {
        /// <summary>The controller's "sync failed" entries for keys of <paramref name="ns"/> (it syncs every namespace).</summary>
        public IEnumerable<RecordingLoggerProvider.Entry> SyncFailures(string ns) =>
            Logs.Entries.Where(e => e.EventId.Id == SyncFailedEventId && e.Message.Contains($" {ns}/", StringComparison.Ordinal));

        public async ValueTask DisposeAsync()
        {
            await Manager.DisposeAsync();
            Client.Dispose();
            Loggers.Dispose();
        }
    }
}
