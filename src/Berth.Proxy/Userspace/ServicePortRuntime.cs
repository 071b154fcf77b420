using System.Net;
using Berth.Proxy.Balancing;
using Berth.Proxy.Model;
using Berth.Proxy.Observability;

namespace Berth.Proxy.Userspace;

/// <summary>
/// The run-time side of one Service port in the userspace backend: its routing tables (internal and external, swapped
/// atomically on each model change), its session-affinity table, its endpoints (kept across changes so connection
/// counts and metrics carry over) and its open entry points. Changed only by the sync; read by connections.
/// </summary>
internal sealed class ServicePortRuntime
{
    private readonly UserspaceContext _context;
    private Dictionary<(IPAddress, int), BackendEndpoint> _endpoints = [];
    private RoutingTable _internal = RoutingTable.Rejecting;
    private RoutingTable _external = RoutingTable.Rejecting;
    private SessionAffinityTable? _affinity;
    private ILoadBalancer? _balancer;
    private PortMetrics? _metrics;

    public ServicePortRuntime(ServicePortModel model, UserspaceContext context)
    {
        _context = context;
        Model = model;
        Update(model);
    }

    public ServicePortName Name => Model.Name;

    public ServicePortModel Model { get; private set; }

    /// <summary>The entry points open for this port (sync only).</summary>
    public Dictionary<ListenerKey, IFrontend> Frontends { get; } = [];

    public PortMetrics Metrics => _metrics ??= _context.Metrics.ForPort(Name);

    /// <summary>Where new traffic that came in through an entry point of <paramref name="kind"/> goes now.</summary>
    public RoutingTable Table(EntryKind kind) => kind == EntryKind.ClusterIP ? Volatile.Read(ref _internal) : Volatile.Read(ref _external);

    /// <summary>Takes a new model: new tables, affinity switched on, off or re-timed, a new balancer if the policy changed.</summary>
    public void Update(ServicePortModel model)
    {
        Model = model;
        var info = model.Info;
        if (info.AffinityTimeout is not { } timeout)
        {
            _affinity = null;
        }
        else if (_affinity is null || _affinity.Timeout != timeout)
        {
            _affinity = new SessionAffinityTable(timeout, _context.Time.TimestampFrequency);
        }

        var policy = info.LoadBalancing ?? _context.Options.LoadBalancing;
        if (_balancer is null || _balancer.Policy != policy)
        {
            _balancer = LoadBalancers.Create(policy, _context.Options.Random);
        }

        var endpoints = new Dictionary<(IPAddress, int), BackendEndpoint>();
        var internalTable = Build(model.Internal, endpoints);
        var externalTable = Build(model.External, endpoints);
        foreach (var (key, gone) in _endpoints)
        {
            if (!endpoints.ContainsKey(key))
            {
                gone.Metrics?.Remove();
                gone.Metrics = null;
            }
        }

        _endpoints = endpoints;
        Volatile.Write(ref _internal, internalTable);
        Volatile.Write(ref _external, externalTable);
    }

    /// <summary>Forgets affinity entries past their timeout (run by the sync).</summary>
    public void SweepAffinity(long now) => _affinity?.Sweep(now);

    /// <summary>The port is gone: its metric series go with it.</summary>
    public void Retire()
    {
        foreach (var endpoint in _endpoints.Values)
        {
            endpoint.Metrics?.Remove();
            endpoint.Metrics = null;
        }

        _metrics?.Remove();
        _metrics = null;
    }

    private RoutingTable Build(EndpointTargets targets, Dictionary<(IPAddress, int), BackendEndpoint> endpoints)
    {
        if (targets.Verdict != Verdict.Forward)
        {
            return new RoutingTable(targets.Verdict, [], _balancer!, _affinity);
        }

        var backends = new BackendEndpoint[targets.Endpoints.Length];
        for (var i = 0; i < backends.Length; i++)
        {
            var endpoint = targets.Endpoints[i];
            var key = (endpoint.Address, endpoint.Port);
            if (!endpoints.TryGetValue(key, out var backend))
            {
                backend = _endpoints.GetValueOrDefault(key) ?? new BackendEndpoint(endpoint.Address, endpoint.Port);
                endpoints[key] = backend;
            }

            backends[i] = backend;
        }

        return new RoutingTable(Verdict.Forward, backends, _balancer!, _affinity);
    }
}
