using System.Collections.Concurrent;
using Berth.Client;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using Berth.Controllers.ReplicaSets;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Jobs;

/// <summary>
/// The Job controller (upstream <c>pkg/controller/job/job_controller.go</c>): runs each Job's pods to completion as
/// <see cref="JobPlanner"/> says. Handlers only enqueue Job keys and settle expectations; workers account for finished
/// pods (uncounted → finalizer removed → counted), create and delete pods at most once per round of expectations, and
/// write status. Pods that hold the tracking finalizer after their Job is gone lose it here too, so that garbage
/// collection and <c>kubectl delete pod</c> finish.
/// </summary>
public sealed partial class JobController : IController
{
    /// <summary>The event source, as upstream's Job controller names itself.</summary>
    public const string Component = "job-controller";

    /// <summary>Queue keys of pods (not Jobs) whose tracking finalizer must go because their Job is gone.</summary>
    private const string OrphanPrefix = "orphan-pod:";

    private readonly ControllerManager _manager;
    private readonly IApiClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILister<V1Job> _jobs;
    private readonly ILister<V1Pod> _pods;
    private readonly WorkQueue<string> _queue;
    private readonly ExpectationsTracker _expectations;
    private readonly EventRecorder _events;
    private readonly PodControl _podControl;

    /// <summary>UIDs of pods whose finalizer this controller removed and whose informer has not shown it yet (upstream's finalizer expectations).</summary>
    private readonly ConcurrentDictionary<string, byte> _finalizerRemoved = new(StringComparer.Ordinal);

    public JobController(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _manager = manager;
        _client = manager.Client;
        _time = manager.Options.TimeProvider;
        _logger = manager.Loggers.CreateLogger<JobController>();
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _time });
        _expectations = new ExpectationsTracker(_time);
        _events = new EventRecorder(_client, _time, _logger);
        _podControl = new PodControl(_client, _events, _expectations, Component);

        var jobs = manager.Informers.For<V1Job>();
        var pods = manager.Informers.For<V1Pod>();
        ControllerIndex.AddTo(pods);
        _jobs = jobs.Lister;
        _pods = pods.Lister;
        jobs.AddHandler(new InformerHandler<V1Job>
        {
            Added = (job, _) => _queue.Add(ObjectKeys.Of(job)),
            Updated = (_, job) => _queue.Add(ObjectKeys.Of(job)),
            Deleted = job =>
            {
                _expectations.Delete(ObjectKeys.Of(job));
                _queue.Add(ObjectKeys.Of(job));
            },
        });
        pods.AddHandler(new InformerHandler<V1Pod> { Added = (p, _) => OnPod(p, added: true), Updated = (_, p) => OnPod(p, added: false), Deleted = OnPodDeleted });
    }

    public string Name => Component;

    public Task RunAsync(CancellationToken cancellationToken) =>
        WorkerLoop.RunAsync(_queue, _manager.Options.Workers, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken);

    private void OnPod(V1Pod pod, bool added)
    {
        if (!JobPlanner.HasTrackingFinalizer(pod))
        {
            _finalizerRemoved.TryRemove(pod.Metadata.Uid, out _);
        }

        if (PodUtil.ControllerOf(pod.Metadata) is not { Kind: "Job" } owner)
        {
            return;
        }

        if (OwnerOf(pod.Metadata.NamespaceProperty, owner) is not { } job)
        {
            if (JobPlanner.HasTrackingFinalizer(pod))
            {
                _queue.Add(OrphanPrefix + ObjectKeys.Of(pod));
            }

            return;
        }

        var key = ObjectKeys.Of(job);
        _expectations.PodObserved(key, pod, added);
        _queue.Add(key);
    }

    private void OnPodDeleted(V1Pod pod)
    {
        _finalizerRemoved.TryRemove(pod.Metadata.Uid, out _);
        if (PodUtil.ControllerOf(pod.Metadata) is { Kind: "Job" } owner && OwnerOf(pod.Metadata.NamespaceProperty, owner) is { } job)
        {
            var key = ObjectKeys.Of(job);
            _expectations.DeletionObserved(key, ObjectKeys.Of(pod));
            _queue.Add(key);
        }
    }

    private V1Job? OwnerOf(string? ns, V1OwnerReference owner) =>
        _jobs.Get(ns, owner.Name) is { } job && job.Metadata.Uid == owner.Uid ? job : null;

    /// <summary>Whether the pod still holds the finalizer as far as this controller knows.</summary>
    private bool Tracked(V1Pod pod) =>
        JobPlanner.HasTrackingFinalizer(pod) && !_finalizerRemoved.ContainsKey(pod.Metadata.Uid);
}
