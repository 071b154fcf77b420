using System.Collections.Immutable;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Client.Runners;
using Berth.Proxy.Changes;
using Berth.Proxy.Health;
using Berth.Proxy.Model;
using Berth.Proxy.Native;
using Berth.Proxy.Observability;
using Berth.Proxy.Userspace;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Proxy;

/// <summary>
/// The node's service proxy (kube-proxy's job, in user space): every Service's cluster IPs, NodePorts, load-balancer
/// IPs and external IPs carry TCP and UDP traffic to the Service's usable endpoints. Informer handlers only record
/// changes (<see cref="ServiceChangeTracker"/>, <see cref="EndpointSliceChangeTracker"/>); a
/// <see cref="CoalescingRunner"/> drives one sync, which builds the model of the changed Services
/// (<see cref="ServiceModelPlanner"/>, <see cref="TrafficPolicy"/>) and hands the differences to the userspace backend.
/// </summary>
/// <example>
/// <code>
/// var proxy = new ServiceProxy(informers, options, loggers); // before the informers start
/// await informers.StartAsync(ct);
/// await proxy.StartAsync(ct);                                 // every listener of the synced state is open
/// </code>
/// </example>
public sealed partial class ServiceProxy : IAsyncDisposable
{
    private readonly ProxyOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Informer<V1Service> _serviceInformer;
    private readonly Informer<V1EndpointSlice> _sliceInformer;
    private readonly ServiceChangeTracker _services = new();
    private readonly EndpointSliceChangeTracker _slices;
    private readonly CoalescingRunner _runner;
    private readonly ProxyHealth _health;
    private readonly ConnectionTrace _trace;
    private readonly ProxyMetrics _metrics;
    private readonly ServiceEvents _events;
    private readonly UserspaceContext _context;
    private readonly UserspaceBackend _backend;
    private readonly ServiceHealthServer _healthChecks;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, ServicePortName[]> _portsOfService = new(StringComparer.Ordinal);
    private ImmutableDictionary<ServicePortName, ServicePortModel> _model = ImmutableDictionary<ServicePortName, ServicePortModel>.Empty;
    private DateTimeOffset _lastFullSync = DateTimeOffset.MinValue;
    private Task? _loop;
    private int _disposed;

    /// <summary>Registers the proxy's Service and EndpointSlice handlers; call before <paramref name="informers"/> start.</summary>
    public ServiceProxy(SharedInformers informers, ProxyOptions options, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(informers);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        loggers ??= NullLoggerFactory.Instance;
        _options = options;
        _time = options.TimeProvider;
        _logger = loggers.CreateLogger("Berth.Proxy");
        _slices = new EndpointSliceChangeTracker(_time.GetUtcNow());
        _health = new ProxyHealth(_time, 2 * options.SyncPeriod);
        _trace = new ConnectionTrace(options.TraceCapacity);
        _metrics = new ProxyMetrics(options.Metrics ?? Prometheus.Metrics.NewCustomRegistry(), LiveCounts);
        _events = new ServiceEvents(new EventRecorder(options.EventClient ?? informers.Client, _time, loggers.CreateLogger("Berth.Proxy.Events")));
        _context = new UserspaceContext(options, _metrics, _trace, _events, _logger);
        _backend = new UserspaceBackend(_context);
        _healthChecks = new ServiceHealthServer(_context, _health.IsHealthy);
        _runner = new CoalescingRunner(
            _ =>
            {
                Sync();
                return Task.CompletedTask;
            },
            new CoalescingRunnerOptions { Name = "service proxy", MinInterval = options.MinSyncPeriod, MaxInterval = options.SyncPeriod, TimeProvider = _time },
            _logger);

        _serviceInformer = informers.For<V1Service>();
        _serviceInformer.AddHandler(new InformerHandler<V1Service>
        {
            Added = (service, _) => Recorded(_services.Update(service)),
            Updated = (_, service) => Recorded(_services.Update(service)),
            Deleted = service => Recorded(_services.Delete(service)),
        });
        _sliceInformer = informers.For<V1EndpointSlice>();
        _sliceInformer.AddHandler(new InformerHandler<V1EndpointSlice>
        {
            Added = (slice, _) => Recorded(_slices.Update(slice)),
            Updated = (_, slice) => Recorded(_slices.Update(slice)),
            Deleted = slice => Recorded(_slices.Delete(slice)),
        });
    }

    /// <summary>
    /// kube-proxy's <c>/healthz</c>: true unless a Service or EndpointSlice change has waited longer than twice the
    /// sync period to be applied.
    /// </summary>
    public bool Healthy => _health.IsHealthy();

    /// <summary>When a sync last completed, or null before the first.</summary>
    public DateTimeOffset? LastSync => _health.LastUpdated;

    /// <summary>The current model, for tests and diagnostics.</summary>
    internal ImmutableDictionary<ServicePortName, ServicePortModel> Model => Volatile.Read(ref _model);

    internal UserspaceBackend Backend => _backend;

    /// <summary>
    /// Waits until the informers have synced, raises the open-files limit, runs the first full sync (every listener of
    /// the synced state is then open) and starts the sync loop.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_loop is not null)
        {
            throw new InvalidOperationException("the proxy is already started");
        }

        if (FileLimits.RaiseOpenFiles() is { } limit)
        {
            Log.FileLimit(_logger, limit);
        }

        await _serviceInformer.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        await _sliceInformer.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        Sync();
        _loop = Task.Run(() => _runner.LoopAsync(_stop.Token), CancellationToken.None);
        Log.Started(_logger, _options.NodeName, _model.Count, _backend.OpenCount, _backend.FailedCount);
    }

    /// <summary>
    /// The latest connection decisions (time, protocol, client, entry point, Service port, endpoint, why) as aligned
    /// text, or as JSON when <paramref name="json"/>.
    /// </summary>
    public string RenderTrace(bool json)
    {
        var entries = _trace.Snapshot();
        return json ? TraceFormat.Json(entries) : TraceFormat.Text(entries);
    }

    /// <summary>Stops the sync loop, closes every listener and ends the connections still open.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _backend.Dispose();
        _healthChecks.Dispose();
        _context.Dispose();
        await _events.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Recorded(bool changed)
    {
        if (changed)
        {
            _health.QueuedUpdate();
            _runner.Run();
        }
    }

    private ProxyMetrics.LiveCounts LiveCounts() =>
        new(_context?.ActiveConnections ?? 0, _context?.UdpFlows ?? 0, _backend?.OpenCount ?? 0, _backend?.FailedCount ?? 0);
}
