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
    /// <summary>Past this many endpoints, reusing the previous ones goes through a dictionary instead of a scan.</summary>
    private const int ScanLimit = 32;

    private readonly UserspaceContext _context;
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

    /// <summary>The entry points open for this port (sync only; usually one to three).</summary>
    public List<IFrontend> Frontends { get; } = [];

    public PortMetrics Metrics => _metrics ??= _context.Metrics.ForPort(Name);

    /// <summary>Where new traffic that came in through an entry point of <paramref name="kind"/> goes now.</summary>
    public RoutingTable Table(EntryKind kind) => kind == EntryKind.ClusterIP ? Volatile.Read(ref _internal) : Volatile.Read(ref _external);

    /// <summary>The open entry point on <paramref name="key"/>, if any.</summary>
    public IFrontend? Frontend(ListenerKey key) => Frontends.Find(f => ListenerKey.Of(f.Entry) == key);

    /// <summary>
    /// Takes a new model: new tables (one shared table when internal and external traffic go to the same endpoints),
    /// affinity switched on, off or re-timed, a new balancer if the policy changed. Endpoints that stay keep their
    /// run-time object (connection counts, failure marks, metrics).
    /// </summary>
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

        var previous = new Previous(_internal.Endpoints, _external.Endpoints);
        var internalTable = Build(model.Internal, previous);
        var externalTable = model.External.Equals(model.Internal) ? internalTable : Build(model.External, previous.With(internalTable.Endpoints));
        foreach (var gone in previous.All().Where(e => !internalTable.Contains(e) && !externalTable.Contains(e)))
        {
            gone.Metrics?.Remove();
            gone.Metrics = null;
        }

        Volatile.Write(ref _internal, internalTable);
        Volatile.Write(ref _external, externalTable);
    }

    /// <summary>Forgets affinity entries past their timeout (run by the sync).</summary>
    public void SweepAffinity(long now) => _affinity?.Sweep(now);

    /// <summary>The port is gone: its metric series go with it.</summary>
    public void Retire()
    {
        foreach (var endpoint in _internal.Endpoints.Concat(_external.Endpoints))
        {
            endpoint.Metrics?.Remove();
            endpoint.Metrics = null;
        }

        _metrics?.Remove();
        _metrics = null;
    }

    private RoutingTable Build(EndpointTargets targets, Previous previous)
    {
        if (targets.Verdict != Verdict.Forward)
        {
            return new RoutingTable(targets.Verdict, [], _balancer!, _affinity);
        }

        var backends = new BackendEndpoint[targets.Endpoints.Length];
        for (var i = 0; i < backends.Length; i++)
        {
            var endpoint = targets.Endpoints[i];
            backends[i] = previous.Find(endpoint) ?? new BackendEndpoint(endpoint.Address, endpoint.Port);
        }

        return new RoutingTable(Verdict.Forward, backends, _balancer!, _affinity);
    }

    /// <summary>The run-time endpoints of the tables being replaced, to be found again by address and port.</summary>
    private readonly struct Previous(BackendEndpoint[] first, BackendEndpoint[] second, BackendEndpoint[]? third = null)
    {
        private readonly Dictionary<(IPAddress, int), BackendEndpoint>? _index = first.Length + second.Length > ScanLimit
            ? first.Concat(second).Concat(third ?? []).DistinctBy(e => (e.Address, e.Port)).ToDictionary(e => (e.Address, e.Port))
            : null;

        public Previous With(BackendEndpoint[] more) => new(first, second, more);

        public IEnumerable<BackendEndpoint> All() => first.Concat(second).Distinct();

        public BackendEndpoint? Find(Endpoint endpoint)
        {
            if (_index is not null)
            {
                return _index.GetValueOrDefault((endpoint.Address, endpoint.Port));
            }

            foreach (var candidate in first.Concat(second).Concat(third ?? []))
            {
                if (candidate.Matches(endpoint))
                {
                    return candidate;
                }
            }

            return null;
        }
    }
}
