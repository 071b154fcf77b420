using Berth.Client;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Jobs;

/// <summary>
/// The TTL-after-finished controller (upstream <c>pkg/controller/ttlafterfinished</c>): deletes a finished Job
/// <c>spec.ttlSecondsAfterFinished</c> after its Complete or Failed condition, with propagation Background (the
/// garbage collector then deletes its pods). The clock is the manager's <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class TtlAfterFinishedController : IController
{
    public const string Component = "ttl-after-finished-controller";

    private readonly ControllerManager _manager;
    private readonly IApiClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILister<V1Job> _jobs;
    private readonly WorkQueue<string> _queue;

    public TtlAfterFinishedController(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _manager = manager;
        _client = manager.Client;
        _time = manager.Options.TimeProvider;
        _logger = manager.Loggers.CreateLogger<TtlAfterFinishedController>();
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _time });
        var jobs = manager.Informers.For<V1Job>();
        _jobs = jobs.Lister;
        jobs.AddHandler(new InformerHandler<V1Job>
        {
            Added = (job, _) => Enqueue(job),
            Updated = (_, job) => Enqueue(job),
        });
    }

    public string Name => Component;

    public Task RunAsync(CancellationToken cancellationToken) =>
        WorkerLoop.RunAsync(_queue, _manager.Options.Workers, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken);

    /// <summary>When <paramref name="job"/> expires, or null when it has no TTL or has not finished (upstream <c>timeLeft</c>).</summary>
    internal static DateTimeOffset? ExpiresAt(V1Job job)
    {
        if (job.Spec?.TtlSecondsAfterFinished is not { } ttl || job.Metadata.DeletionTimestamp is not null)
        {
            return null;
        }

        var finished = job.Status?.Conditions?.FirstOrDefault(c => c.Type is "Complete" or "Failed" && c.Status == "True");
        if (finished is null)
        {
            return null;
        }

        var at = finished.LastTransitionTime ?? job.Status?.CompletionTime ?? job.Metadata.CreationTimestamp ?? DateTime.UnixEpoch;
        return new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) + TimeSpan.FromSeconds(ttl);
    }

    private void Enqueue(V1Job job)
    {
        if (ExpiresAt(job) is not null)
        {
            _queue.Add(ObjectKeys.Of(job));
        }
    }

    /// <summary>
    /// Upstream <c>processJob</c>: if the cached Job has expired, read it again from the API (its TTL may have
    /// changed) and delete it with its UID as precondition; else look again when it expires.
    /// </summary>
    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (_jobs.Get(ns, name) is not { } cached || ExpiresAt(cached) is not { } cachedExpiry)
        {
            return;
        }

        var now = _time.GetUtcNow();
        if (cachedExpiry > now)
        {
            _queue.AddAfter(key, cachedExpiry - now);
            return;
        }

        var fresh = await _client.GetAsync<V1Job>(ns, name, cancellationToken).ConfigureAwait(false);
        if (fresh is null || ExpiresAt(fresh) is not { } expiry)
        {
            return;
        }

        if (expiry > now)
        {
            _queue.AddAfter(key, expiry - now);
            return;
        }

        Log.Deleting(_logger, key);
        var options = new V1DeleteOptions { PropagationPolicy = "Background", Preconditions = new V1Preconditions { Uid = fresh.Metadata.Uid } };
        try
        {
            await _client.DeleteAsync<V1Job>(ns, name, options, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.IsNotFound)
        {
            // deleted meanwhile
        }
    }

    /// <summary>Event ids 4620–4629 (see README.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4620, Message = "TTL of Job {Key} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string key, string reason);

        [LoggerMessage(EventId = 4621, Level = LogLevel.Information, Message = "Job {Key} finished and its ttlSecondsAfterFinished passed: deleting it")]
        public static partial void Deleting(ILogger logger, string key);
    }
}
