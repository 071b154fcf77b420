using Berth.Client;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using Berth.Controllers.Jobs;
using Berth.Controllers.ReplicaSets;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.CronJobs;

/// <summary>
/// The CronJob controller (upstream <c>pkg/controller/cronjob/cronjob_controllerv2.go</c>): creates each CronJob's Jobs
/// on schedule as <see cref="CronJobPlanner"/> says, on the manager's <see cref="TimeProvider"/> — each sync requeues
/// the CronJob for its next scheduled time, so a test's manual clock fires it without waiting.
/// </summary>
public sealed partial class CronJobController : IController
{
    /// <summary>The event source, as upstream's CronJob controller names itself.</summary>
    public const string Component = "cronjob-controller";

    private readonly ControllerManager _manager;
    private readonly IApiClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILister<V1CronJob> _cronJobs;
    private readonly ILister<V1Job> _jobs;
    private readonly WorkQueue<string> _queue;
    private readonly EventRecorder _events;

    public CronJobController(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _manager = manager;
        _client = manager.Client;
        _time = manager.Options.TimeProvider;
        _logger = manager.Loggers.CreateLogger<CronJobController>();
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _time });
        _events = new EventRecorder(_client, _time, _logger);

        var cronJobs = manager.Informers.For<V1CronJob>();
        var jobs = manager.Informers.For<V1Job>();
        ControllerIndex.AddTo(jobs);
        _cronJobs = cronJobs.Lister;
        _jobs = jobs.Lister;
        cronJobs.AddHandler(new InformerHandler<V1CronJob>
        {
            Added = (cj, _) => _queue.Add(ObjectKeys.Of(cj)),
            Updated = (_, cj) => _queue.Add(ObjectKeys.Of(cj)),
        });
        jobs.AddHandler(new InformerHandler<V1Job> { Added = (j, _) => EnqueueOwner(j), Updated = (_, j) => EnqueueOwner(j), Deleted = EnqueueOwner });
    }

    public string Name => Component;

    public Task RunAsync(CancellationToken cancellationToken) =>
        WorkerLoop.RunAsync(_queue, _manager.Options.Workers, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken);

    private void EnqueueOwner(V1Job job)
    {
        if (PodUtil.ControllerOf(job.Metadata) is { Kind: "CronJob" } owner
            && _cronJobs.Get(job.Metadata.NamespaceProperty, owner.Name) is { } cronJob
            && cronJob.Metadata.Uid == owner.Uid)
        {
            _queue.Add(ObjectKeys.Of(cronJob));
        }
    }

    /// <summary>
    /// Upstream <c>sync</c>: confirm with the API which active Jobs are missing, plan, delete replaced and expired
    /// Jobs (propagation Background), create the scheduled Job, write status, record events, requeue for the next time.
    /// </summary>
    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (_cronJobs.Get(ns, name) is not { } cronJob)
        {
            return;
        }

        var jobs = _jobs.ByIndex(ControllerIndex.Name, cronJob.Metadata.Uid).ToList();
        if (jobs.Any(j => !JobPlanner.IsFinished(j.Status) && cronJob.Status?.Active?.Any(r => r.Uid == j.Metadata.Uid) != true))
        {
            // A running Job the cached status does not list: the status write that listed it may not be cached yet
            // (upstream reads the CronJob again before calling the Job unexpected).
            cronJob = await _client.GetAsync<V1CronJob>(ns, name, cancellationToken).ConfigureAwait(false) ?? cronJob;
        }

        var gone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reference in cronJob.Status?.Active ?? [])
        {
            if (jobs.Any(j => j.Metadata.Uid == reference.Uid))
            {
                continue;
            }

            // The cache may lag behind a Job just created: only the API can say it is gone.
            var found = await _client.GetAsync<V1Job>(reference.NamespaceProperty ?? ns, reference.Name, cancellationToken).ConfigureAwait(false);
            if (found is null || found.Metadata.Uid != reference.Uid)
            {
                gone.Add(reference.Uid);
            }
        }

        var now = _time.GetUtcNow();
        var plan = CronJobPlanner.Plan(cronJob, jobs, gone, now);
        foreach (var job in plan.Delete)
        {
            try
            {
                await _client.DeleteAsync<V1Job>(job.Metadata.NamespaceProperty, job.Metadata.Name, new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
                // deleted meanwhile
            }
        }

        var status = plan.Status;
        Exception? failure = null;
        if (plan.Create is { } toCreate && plan.ScheduledTime is { } scheduled)
        {
            failure = await CreateAsync(cronJob, toCreate, scheduled, status, cancellationToken).ConfigureAwait(false);
        }

        if (CanonicalJson.Render(status) != (cronJob.Status is null ? "null" : CanonicalJson.Render(cronJob.Status)))
        {
            var updated = ObjectCopy.Clone(cronJob);
            updated.Status = status;
            await _client.UpdateStatusAsync(updated, cancellationToken).ConfigureAwait(false);
        }

        foreach (var e in plan.Events)
        {
            await _events.RecordAsync(cronJob, e.Type, e.Reason, e.Message, Component, cancellationToken).ConfigureAwait(false);
        }

        if (failure is not null)
        {
            throw failure;
        }

        if (plan.RequeueAfter is { } delay)
        {
            // The next scheduled time is now + delay for the plan's now; the writes above took time (on a test's
            // clock, it may have been advanced meanwhile), so wait only for what is left of it.
            _queue.AddAfter(key, now + delay - _time.GetUtcNow());
        }
    }

    /// <summary>Creates the scheduled Job and records it in <paramref name="status"/>; returns the failure, if any.</summary>
    private async Task<Exception?> CreateAsync(V1CronJob cronJob, V1Job job, DateTimeOffset scheduled, V1CronJobStatus status, CancellationToken cancellationToken)
    {
        V1Job created;
        try
        {
            created = await _client.CreateAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.IsAlreadyExists)
        {
            // Created by an earlier sync whose status write was lost, or by someone else: upstream assumes whoever
            // created it recorded it, and so does not schedule it again.
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (e is not ApiException { IsNamespaceTerminating: true })
            {
                await _events.RecordAsync(cronJob, EventRecorder.Warning, "FailedCreate", "Error creating job: " + e.Message, Component, cancellationToken).ConfigureAwait(false);
            }

            return e;
        }

        Log.Created(_logger, ObjectKeys.Of(cronJob), created.Metadata.Name);
        await _events.RecordAsync(cronJob, EventRecorder.Normal, "SuccessfulCreate", "Created job " + created.Metadata.Name, Component, cancellationToken).ConfigureAwait(false);
        status.Active = [.. status.Active ?? [], new V1ObjectReference
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Name = created.Metadata.Name,
            NamespaceProperty = created.Metadata.NamespaceProperty,
            Uid = created.Metadata.Uid,
            ResourceVersion = created.Metadata.ResourceVersion,
        }];
        status.LastScheduleTime = scheduled.UtcDateTime;
        return null;
    }

    /// <summary>Event ids 4630–4649 (Job and CronJob controllers own 4600–4699; see README.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4630, Message = "Syncing CronJob {Key} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string key, string reason);

        [LoggerMessage(EventId = 4631, Level = LogLevel.Information, Message = "CronJob {Key}: created Job {Job}")]
        public static partial void Created(ILogger logger, string key, string job);
    }
}
