using Berth.Client;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using Berth.Core.Validation;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Disruption;

/// <summary>
/// The disruption controller (pkg/controller/disruption): keeps each PodDisruptionBudget's status —
/// <c>currentHealthy</c>, <c>desiredHealthy</c>, <c>expectedPods</c>, <c>disruptionsAllowed</c>, <c>disruptedPods</c>,
/// condition <c>DisruptionAllowed</c> — from its pods (<see cref="DisruptionPlanner"/>), which the API server's
/// <c>pods/eviction</c> reads and decrements. The expected count of a percentage or <c>maxUnavailable</c> budget is the
/// scale of the pods' controllers (a ReplicaSet's Deployment, else the controller's <c>spec.replicas</c> via its
/// <c>scale</c> subresource).
/// </summary>
public sealed partial class DisruptionController : IController
{
    private readonly IApiClient _client;
    private readonly ControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Informer<V1PodDisruptionBudget> _budgets;
    private readonly Informer<V1Pod> _pods;
    private readonly Informer<V1ReplicaSet> _replicaSets;
    private readonly WorkQueue<string> _queue;

    public DisruptionController(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _client = manager.Client;
        _options = manager.Options;
        _time = manager.Options.TimeProvider;
        _logger = manager.Loggers.CreateLogger<DisruptionController>();
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = _time });
        _budgets = manager.Informers.For<V1PodDisruptionBudget>();
        _pods = manager.Informers.For<V1Pod>();
        _replicaSets = manager.Informers.For<V1ReplicaSet>();
        _budgets.AddHandler(new InformerHandler<V1PodDisruptionBudget>
        {
            Added = (b, _) => _queue.Add(ObjectKeys.Of(b)),
            Updated = (_, b) => _queue.Add(ObjectKeys.Of(b)),
        });
        _pods.AddHandler(new InformerHandler<V1Pod>
        {
            Added = (p, _) => QueueBudgetsOf(p),
            Updated = (old, p) =>
            {
                QueueBudgetsOf(old);
                QueueBudgetsOf(p);
            },
            Deleted = QueueBudgetsOf,
        });
    }

    public string Name => "disruption";

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(
            WorkerLoop.RunAsync(_queue, _options.Workers, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken),
            ExpireLoopAsync(cancellationToken));

    /// <summary>Entries of <c>disruptedPods</c> expire after <see cref="DisruptionPlanner.DeletionTimeout"/>: look again at budgets that hold some.</summary>
    private async Task ExpireLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(15), _time, cancellationToken).ConfigureAwait(false);
                foreach (var budget in _budgets.Lister.List().Where(b => b.Status?.DisruptedPods is { Count: > 0 }))
                {
                    _queue.Add(ObjectKeys.Of(budget));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void QueueBudgetsOf(V1Pod pod)
    {
        foreach (var budget in _budgets.Lister.List())
        {
            if (budget.Metadata.NamespaceProperty == pod.Metadata.NamespaceProperty && Selects(budget, pod))
            {
                _queue.Add(ObjectKeys.Of(budget));
            }
        }
    }

    private static bool Selects(V1PodDisruptionBudget budget, V1Pod pod) =>
        budget.Spec?.Selector is { } selector && !LabelSelectors.IsEmpty(selector) && LabelSelectors.Matches(selector, pod.Metadata.Labels);

    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (_budgets.Lister.Get(ns, name) is not { } budget)
        {
            return;
        }

        var pods = _pods.Lister.List().Where(p => p.Metadata.NamespaceProperty == ns && Selects(budget, p)).ToList();
        var needsScale = budget.Spec?.MaxUnavailable is not null || budget.Spec?.MinAvailable?.Value?.EndsWith('%') == true;
        var scale = needsScale ? await ExpectedScaleAsync(pods, cancellationToken).ConfigureAwait(false) : null;
        var status = DisruptionPlanner.Status(budget, pods, scale, _time.GetUtcNow());
        if (k8s.KubernetesJson.Serialize(status) == k8s.KubernetesJson.Serialize(budget.Status))
        {
            return;
        }

        var updated = Common.ObjectCopy.Clone(budget);
        updated.Status = status;
        await _client.UpdateStatusAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>getExpectedScale</c>: the sum of the scale of the pods' controllers; null when a pod has none.</summary>
    private async Task<int?> ExpectedScaleAsync(List<V1Pod> pods, CancellationToken cancellationToken)
    {
        var controllers = new Dictionary<(string Kind, string Name), int>();
        foreach (var pod in pods)
        {
            if (pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) is not { } owner)
            {
                return null;
            }

            var (kind, apiVersion, name) = (owner.Kind, owner.ApiVersion, owner.Name);
            // finders: a ReplicaSet of a Deployment counts as its Deployment.
            if (kind == "ReplicaSet" && _replicaSets.Lister.Get(pod.Metadata.NamespaceProperty, name)?.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == "Deployment") is { } deployment)
            {
                (kind, apiVersion, name) = ("Deployment", deployment.ApiVersion, deployment.Name);
            }

            if (controllers.ContainsKey((kind, name)))
            {
                continue;
            }

            var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
            if (Core.Resources.ResourceRegistry.Default.FindKind(group, kind) is not { } resource || !resource.HasSubresource("scale"))
            {
                return null;
            }

            var scale = await _client.GetScaleAsync(resource, pod.Metadata.NamespaceProperty, name, cancellationToken).ConfigureAwait(false);
            controllers[(kind, name)] = scale.Spec?.Replicas ?? 0;
        }

        return controllers.Values.Sum();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4850, Message = "Syncing PodDisruptionBudget {Key} failed: {Reason}")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string key, string reason);
    }
}
