using Berth.Client;
using Berth.Client.Informers;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Node.Registration;

/// <summary>
/// Keeps the Node alive as the kubelet does: renews the Lease <c>kube-node-lease/&lt;node&gt;</c> every quarter of
/// <see cref="NodeAgentOptions.LeaseDuration"/> (<c>pkg/kubelet/nodelease</c>, <c>component-helpers/apimachinery/lease</c>)
/// and posts the Node's status when it changed, every <see cref="StatusReportInterval"/> otherwise
/// (<c>nodeStatusReportFrequency</c>), and at once when someone else — the node lifecycle controller — set Ready to
/// anything but True. A failed renewal is retried sooner (0.2 s doubling to 7 s); an API outage only delays the
/// heartbeat: the pods keep running. A deleted Node is registered again.
/// </summary>
public sealed partial class NodeHeartbeat : IAsyncDisposable
{
    /// <summary>The namespace of node Leases (<c>corev1.NamespaceNodeLease</c>).</summary>
    public const string NodeLeaseNamespace = "kube-node-lease";

    private static readonly TimeSpan _minRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan _maxRetry = TimeSpan.FromSeconds(7);

    private readonly IApiClient _api;
    private readonly NodeAgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly V1Node _desired;
    private readonly Informer<V1Node> _node;
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private V1Lease? _lease;
    private DateTimeOffset _lastReport = DateTimeOffset.MinValue;
    private TimeSpan _retry = _minRetry;
    private Task? _loop;
    private Task? _watch;

    /// <param name="api">The API client.</param>
    /// <param name="options">The agent's options (name, lease duration, clock).</param>
    /// <param name="kubeletPort">The kubelet API port reported in the Node's status.</param>
    /// <param name="logger">Optional logger.</param>
    public NodeHeartbeat(IApiClient api, NodeAgentOptions options, int kubeletPort, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        if (options.LeaseDuration < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("the lease duration must be at least one second (leaseDurationSeconds is whole seconds)", nameof(options));
        }

        _api = api;
        _options = options;
        _time = options.TimeProvider;
        _logger = logger ?? NullLogger.Instance;
        _desired = NodeStatusPlanner.Desired(options, HostFacts.Read(options.DataDir), kubeletPort);
        _node = new Informer<V1Node>(api, new InformerOptions { FieldSelector = "metadata.name=" + options.NodeName, TimeProvider = _time }, _logger);
        _node.AddHandler(new InformerHandler<V1Node>
        {
            Updated = (_, node) =>
            {
                if (NodeStatusPlanner.ReadyStatus(node) != "True")
                {
                    Wake();
                }
            },
            Deleted = _ => Wake(),
        });
    }

    /// <summary>How often the status is posted when nothing changed (the kubelet's <c>nodeStatusReportFrequency</c>).</summary>
    public TimeSpan StatusReportInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the Lease is renewed: a quarter of its duration (the kubelet's <c>renewIntervalFraction</c>).</summary>
    public TimeSpan RenewInterval => _options.LeaseDuration / 4;

    /// <summary>Starts renewing; returns at once (the first renewal runs in the background, retried while the API is away).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("the heartbeat has started already");
        }

        _watch = Task.Run(() => _node.RunAsync(_stop.Token), CancellationToken.None);
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var task in new[] { _loop, _watch })
        {
            if (task is null)
            {
                continue;
            }

            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = RenewInterval;
            try
            {
                await RenewLeaseAsync(cancellationToken).ConfigureAwait(false);
                await SyncStatusAsync(cancellationToken).ConfigureAwait(false);
                _retry = _minRetry;
            }
            catch (Exception e) when (NodeRegistration.IsTransient(e) || e is ApiException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                var failure = Failure.Of(e);
                Log.HeartbeatFailed(_logger, failure.Level, failure.Trace, _options.NodeName, _retry.TotalSeconds, failure.Reason);
                next = _retry < next ? _retry : next;
                _retry = TimeSpan.FromTicks(Math.Min(_retry.Ticks * 2, _maxRetry.Ticks));
            }

            var wake = Volatile.Read(ref _wake).Task;
            using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                await Task.WhenAny(Task.Delay(next, _time, delay.Token), wake).ConfigureAwait(false);
            }
            finally
            {
                await delay.CancelAsync().ConfigureAwait(false);
            }

            if (wake.IsCompleted)
            {
                Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
        }
    }

    /// <summary>
    /// Creates or renews the Lease (holderIdentity = node name, renewTime with microseconds, owned by the Node as the
    /// kubelet sets it so that deleting the Node deletes the Lease). Reuses the last Lease written; a conflict re-reads.
    /// </summary>
    private async Task RenewLeaseAsync(CancellationToken cancellationToken)
    {
        var name = _options.NodeName;
        for (var attempt = 0; ; attempt++)
        {
            var lease = _lease ?? await _api.GetAsync<V1Lease>(NodeLeaseNamespace, name, cancellationToken).ConfigureAwait(false);
            var renewed = lease is null ? new V1Lease { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = NodeLeaseNamespace } } : ObjectCopy.Clone(lease);
            renewed.Spec ??= new V1LeaseSpec();
            renewed.Spec.HolderIdentity = name;
            renewed.Spec.LeaseDurationSeconds = (int)_options.LeaseDuration.TotalSeconds;
            renewed.Spec.RenewTime = MicroNow();
            if ((renewed.Metadata.OwnerReferences is null || renewed.Metadata.OwnerReferences.Count == 0) && CurrentNode()?.Metadata?.Uid is { } uid)
            {
                renewed.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = name, Uid = uid }];
            }

            try
            {
                _lease = lease is null
                    ? await _api.CreateAsync(renewed, cancellationToken).ConfigureAwait(false)
                    : await _api.UpdateAsync(renewed, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (attempt == 0 && (e.IsConflict || e.IsNotFound || e.IsAlreadyExists))
            {
                _lease = null;
            }
        }
    }

    /// <summary>Posts the status when it changed, when Ready is not True (someone marked us Unknown), or when the report interval passed.</summary>
    private async Task SyncStatusAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var node = (attempt == 0 ? CurrentNode() : null) ?? await _api.GetAsync<V1Node>(null, _options.NodeName, cancellationToken).ConfigureAwait(false);
            if (node is null)
            {
                Log.Reregistering(_logger, _options.NodeName);
                await NodeRegistration.CreateOrUpdateAsync(_api, _desired, _time, cancellationToken).ConfigureAwait(false);
                _lastReport = now;
                return;
            }

            var updated = ObjectCopy.Clone(node);
            var wasReady = NodeStatusPlanner.ReadyStatus(node) == "True";
            var changed = NodeStatusPlanner.ApplyStatus(updated, _desired, NodeRegistration.Now(_time));
            if (!changed && now - _lastReport < StatusReportInterval)
            {
                return;
            }

            try
            {
                await _api.UpdateStatusAsync(updated, cancellationToken).ConfigureAwait(false);
                _lastReport = now;
                if (!wasReady)
                {
                    Log.ReadyAsserted(_logger, _options.NodeName, NodeStatusPlanner.ReadyStatus(node) ?? "none");
                }

                return;
            }
            catch (ConflictException) when (attempt == 0)
            {
            }
        }
    }

    private V1Node? CurrentNode() => _node.HasSynced ? _node.Lister.Get(null, _options.NodeName) : null;

    /// <summary>Lease times are MicroTime: microseconds.</summary>
    private DateTime MicroNow()
    {
        var t = _time.GetUtcNow().UtcTicks;
        return new DateTime(t - (t % 10), DateTimeKind.Utc);
    }

    /// <summary>Event ids 6410–6429 (see src/Berth.Node/README.md).</summary>
    private static partial class Log
    {
        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 6410, Message = "Heartbeat of node {Node} failed: {Reason}; retrying in {Seconds} s")]
        public static partial void HeartbeatFailed(ILogger logger, LogLevel level, Exception? exception, string node, double seconds, string reason);

        [LoggerMessage(EventId = 6411, Level = LogLevel.Information, Message = "Node {Node} was Ready={Previous}; posted Ready=True")]
        public static partial void ReadyAsserted(ILogger logger, string node, string previous);

        [LoggerMessage(EventId = 6412, Level = LogLevel.Warning, Message = "Node {Node} is gone from the API; registering it again")]
        public static partial void Reregistering(ILogger logger, string node);
    }
}
