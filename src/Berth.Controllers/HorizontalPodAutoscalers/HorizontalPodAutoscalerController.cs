using Berth.Client;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using Berth.Core.Resources;
using Berth.Core.Selectors;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.HorizontalPodAutoscalers;

/// <summary>
/// The horizontal pod autoscaler (pkg/controller/podautoscaler/horizontal.go): every
/// <see cref="ControllerOptions.HorizontalPodAutoscalerSyncPeriod"/> (and on every change) each HPA reads its target's
/// <c>scale</c> subresource, the resource metrics of the target's pods (<see cref="IPodMetricsSource"/>, by default
/// metrics.k8s.io), proposes a replica count per metric (<see cref="ReplicaCalculator"/>), takes the highest,
/// stabilizes and rate-limits it (<see cref="ScaleNormalizer"/>), writes the scale and then its status with the
/// conditions AbleToScale, ScalingActive and ScalingLimited. Resource and ContainerResource metrics are served.
/// </summary>
public sealed partial class HorizontalPodAutoscalerController : IController
{
    public const string Component = "horizontal-pod-autoscaler";

    private readonly IApiClient _client;
    private readonly ControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Informer<V2HorizontalPodAutoscaler> _hpas;
    private readonly Informer<V1Pod> _pods;
    private readonly WorkQueue<string> _queue;
    private readonly EventRecorder _events;
    private readonly IPodMetricsSource _metrics;
    private readonly ReplicaCalculator _calculator;
    private readonly ScaleNormalizer _normalizer;

    /// <param name="manager">The controller manager (client, options, informers).</param>
    /// <param name="metrics">Where pod metrics come from; null: metrics.k8s.io through the manager's client.</param>
    public HorizontalPodAutoscalerController(ControllerManager manager, IPodMetricsSource? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _client = manager.Client;
        _options = manager.Options;
        _time = manager.Options.TimeProvider;
        _logger = manager.Loggers.CreateLogger<HorizontalPodAutoscalerController>();
        _events = new EventRecorder(_client, _time, _logger);
        _metrics = metrics ?? new ApiPodMetricsSource(_client);
        _calculator = new ReplicaCalculator(_options.HorizontalPodAutoscalerTolerance, _options.HorizontalPodAutoscalerCpuInitializationPeriod, _options.HorizontalPodAutoscalerInitialReadinessDelay);
        _normalizer = new ScaleNormalizer(_options.HorizontalPodAutoscalerDownscaleStabilization);
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _time });
        _pods = manager.Informers.For<V1Pod>();
        _hpas = manager.Informers.For<V2HorizontalPodAutoscaler>();
        _hpas.AddHandler(new InformerHandler<V2HorizontalPodAutoscaler>
        {
            Added = (h, _) => _queue.Add(ObjectKeys.Of(h)),
            Updated = (old, h) =>
            {
                // Our own status writes come back as updates: only a spec change needs a sync before the next period.
                if (old.Metadata.Generation != h.Metadata.Generation)
                {
                    _queue.Add(ObjectKeys.Of(h));
                }
            },
            Deleted = h => _normalizer.Forget(ObjectKeys.Of(h)),
        });
    }

    public string Name => "horizontal-pod-autoscaler";

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(
            WorkerLoop.RunAsync(_queue, _options.Workers, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken),
            ResyncLoopAsync(cancellationToken));

    /// <summary>Queues every HPA once per sync period, as the upstream controller's resync does.</summary>
    private async Task ResyncLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.HorizontalPodAutoscalerSyncPeriod, _time, cancellationToken).ConfigureAwait(false);
                foreach (var hpa in _hpas.Lister.List())
                {
                    _queue.Add(ObjectKeys.Of(hpa));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (_hpas.Lister.Get(ns, name) is not { } cached)
        {
            _normalizer.Forget(key);
            return;
        }

        var hpa = ObjectCopy.Clone(cached);
        var before = k8s.KubernetesJson.Serialize(hpa.Status);
        await ReconcileAsync(key, hpa, cancellationToken).ConfigureAwait(false);
        if (k8s.KubernetesJson.Serialize(hpa.Status) != before)
        {
            await _client.UpdateStatusAsync(hpa, cancellationToken).ConfigureAwait(false);
        }
    }
}
