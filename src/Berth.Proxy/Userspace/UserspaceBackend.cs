using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Model;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy.Userspace;

/// <summary>
/// The userspace backend: per entry point of the model a TCP listener or UDP socket (<see cref="TcpFrontend"/>,
/// <see cref="UdpFrontend"/>) whose connections go to the Service port's current <see cref="RoutingTable"/>.
/// <see cref="Apply"/> touches only the changed Service ports: their tables are swapped, their listeners opened, closed
/// or switched between forward and drop; established connections are never touched. Entry points that cannot be opened
/// (privileged port, address in use) are reported and retried on later syncs.
/// </summary>
internal sealed partial class UserspaceBackend : IProxyBackend, IDisposable
{
    private readonly UserspaceContext _context;
    private readonly BindFailures _failures;
    private readonly Dictionary<ServicePortName, ServicePortRuntime> _ports = [];
    private readonly Dictionary<ListenerKey, IFrontend> _open = [];
    private readonly Dictionary<ListenerKey, (ServicePortRuntime Owner, EntryPoint Entry, bool Conflict)> _failed = [];
    private readonly HashSet<ServicePortName> _unsupported = [];
    private readonly Lock _gate = new();
    private int _openCount;
    private int _failedCount;

    public UserspaceBackend(UserspaceContext context)
    {
        _context = context;
        _failures = new BindFailures(context);
    }

    /// <summary>Sockets open on entry points.</summary>
    public int OpenCount => Volatile.Read(ref _openCount);

    /// <summary>Entry points wanted but not open.</summary>
    public int FailedCount => Volatile.Read(ref _failedCount);

    public void Apply(IReadOnlyList<ServicePortChange> changes, bool full)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_gate)
        {
            ApplyLocked(changes, full);
        }
    }

    /// <summary>The run-time state of a Service port (tests look at what a sync touched).</summary>
    internal ServicePortRuntime? Port(ServicePortName name)
    {
        lock (_gate)
        {
            return _ports.GetValueOrDefault(name);
        }
    }

    /// <summary>The socket open on an entry point, if any (tests).</summary>
    internal IFrontend? Frontend(ListenerKey key)
    {
        lock (_gate)
        {
            return _open.GetValueOrDefault(key);
        }
    }

    private void ApplyLocked(IReadOnlyList<ServicePortChange> changes, bool full)
    {
        var freed = false;
        foreach (var change in changes)
        {
            if (change.Current is null)
            {
                freed |= Remove(change.Name);
            }
            else
            {
                freed |= Update(change.Current);
            }
        }

        if (full || freed)
        {
            RetryFailed(onlyConflicts: !full);
        }

        if (full)
        {
            var now = _context.Now();
            foreach (var port in _ports.Values)
            {
                port.SweepAffinity(now);
            }
        }

        Volatile.Write(ref _openCount, _open.Count);
        Volatile.Write(ref _failedCount, _failed.Count);
    }

    /// <summary>Closes every listener (the connections end with the event loops, <see cref="UserspaceContext.Dispose"/>).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var frontend in _open.Values)
            {
                frontend.Dispose();
            }

            _open.Clear();
        }
    }

    /// <summary>Applies a port's new model; true when it let go of an address another port may be waiting for.</summary>
    private bool Update(ServicePortModel model)
    {
        if (!_ports.TryGetValue(model.Name, out var port))
        {
            _ports[model.Name] = port = new ServicePortRuntime(model, _context);
        }
        else
        {
            port.Update(model);
        }

        var wanted = Wanted(port);
        var freed = false;
        foreach (var frontend in port.Frontends.ToList())
        {
            if (!wanted.TryGetValue(ListenerKey.Of(frontend.Entry), out var entry) || entry.Kind != frontend.Entry.Kind)
            {
                Close(port, frontend);
                freed = true;
            }
        }

        foreach (var key in _failed.Where(f => f.Value.Owner == port && !wanted.ContainsKey(f.Key)).Select(f => f.Key).ToList())
        {
            _failed.Remove(key);
        }

        foreach (var (key, entry) in wanted)
        {
            var verdict = model.Targets(entry.Kind).Verdict;
            if (port.Frontend(key) is { } frontend)
            {
                frontend.Apply(verdict);
            }
            else if (!_failed.TryGetValue(key, out var failed) || failed.Owner != port)
            {
                Open(port, entry, report: true);
            }
        }

        return freed;
    }

    /// <summary>
    /// The entry points of a port that need a socket: every one whose traffic is forwarded or dropped. Rejected traffic
    /// needs none — the kernel refuses it. SCTP gets none (a Warning event instead).
    /// </summary>
    private Dictionary<ListenerKey, EntryPoint> Wanted(ServicePortRuntime port)
    {
        var model = port.Model;
        var wanted = new Dictionary<ListenerKey, EntryPoint>();
        foreach (var entry in model.EntryPoints(_context.NodePortAddresses))
        {
            if (model.Targets(entry.Kind).Verdict != Verdict.Reject)
            {
                wanted[ListenerKey.Of(entry)] = entry;
            }
        }

        if (model.Name.Protocol == TransportProtocol.SCTP)
        {
            if (wanted.Count > 0 && _unsupported.Add(model.Name))
            {
                _context.Events.Warning(model.Info.Service, "UnsupportedProtocol", $"port {model.Name.Port} is SCTP: the userspace proxy serves TCP and UDP only");
                Log.Unsupported(_context.Logger, model.Name.ToString());
            }

            wanted.Clear();
        }

        return wanted;
    }

    private void Open(ServicePortRuntime port, EntryPoint entry, bool report)
    {
        var key = ListenerKey.Of(entry);
        if (_open.TryGetValue(key, out var holder))
        {
            if (report)
            {
                _failures.ReportConflict(port.Model.Info.Service, key.ToString(), holder.Owner.Name);
            }

            _failed[key] = (port, entry, true);
            return;
        }

        var endPoint = new IPEndPoint(entry.Address, entry.Port);
        var udp = entry.Protocol == TransportProtocol.UDP;
        var (socket, error) = udp ? Listeners.BindUdp(endPoint) : Listeners.ListenTcp(endPoint);
        if (socket is null)
        {
            Failed(port, entry, error, report);
            return;
        }

        IFrontend frontend = udp ? new UdpFrontend(entry, port, socket, _context) : new TcpFrontend(entry, port, socket, _context);
        Register(port, key, frontend);
        frontend.Apply(port.Model.Targets(entry.Kind).Verdict);
        frontend.Start();
        Log.Opened(_context.Logger, entry.ToString(), entry.Kind, port.Name.ToString());
    }

    private void Register(ServicePortRuntime port, ListenerKey key, IFrontend frontend)
    {
        _open[key] = frontend;
        port.Frontends.Add(frontend);
        _failed.Remove(key);
    }

    private void Failed(ServicePortRuntime port, EntryPoint entry, SocketError error, bool report)
    {
        var key = ListenerKey.Of(entry);
        _failed[key] = (port, entry, false);
        if (report)
        {
            _failures.Report(port.Model.Info.Service, key.ToString(), error);
        }
    }

    private void Close(ServicePortRuntime port, IFrontend frontend)
    {
        frontend.Dispose();
        port.Frontends.Remove(frontend);
        _open.Remove(ListenerKey.Of(frontend.Entry));
        Log.Closed(_context.Logger, frontend.Entry.ToString(), port.Name.ToString());
    }

    private bool Remove(ServicePortName name)
    {
        if (!_ports.Remove(name, out var port))
        {
            return false;
        }

        var freed = port.Frontends.Count > 0;
        foreach (var frontend in port.Frontends.ToList())
        {
            Close(port, frontend);
        }

        foreach (var key in _failed.Where(f => f.Value.Owner == port).Select(f => f.Key).ToList())
        {
            _failed.Remove(key);
        }

        _unsupported.Remove(name);
        port.Retire();
        return freed;
    }

    /// <summary>
    /// Tries the entry points that could not be opened again. Between full resyncs only those that lost to another
    /// Service port are retried (that port may just have let go); a full resync retries all and reports again.
    /// </summary>
    private void RetryFailed(bool onlyConflicts)
    {
        foreach (var (key, (port, entry, conflict)) in _failed.ToList())
        {
            if (onlyConflicts && (!conflict || _open.ContainsKey(key)))
            {
                continue;
            }

            _failed.Remove(key);
            Open(port, entry, report: !onlyConflicts);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5013, Level = LogLevel.Debug, Message = "Listening on {EntryPoint} ({Kind}) for {ServicePort}")]
        public static partial void Opened(ILogger logger, string entryPoint, EntryKind kind, string servicePort);

        [LoggerMessage(EventId = 5014, Level = LogLevel.Debug, Message = "Closed {EntryPoint} of {ServicePort}")]
        public static partial void Closed(ILogger logger, string entryPoint, string servicePort);

        [LoggerMessage(EventId = 5015, Level = LogLevel.Warning, Message = "Service port {ServicePort} is SCTP: the userspace proxy serves TCP and UDP only")]
        public static partial void Unsupported(ILogger logger, string servicePort);
    }
}
