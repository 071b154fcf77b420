using System.Net;
using Berth.ApiServer.Rest;
using Berth.Core.Resources;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Allocation;

/// <summary>
/// The repair loops of Kubernetes' <c>ipallocator/controller/repair.go</c> and <c>portallocator/controller/repair.go</c>,
/// in one pass over the stored Services: an address or port held by no Service is released only after it has been
/// seen leaked on <see cref="LeakPasses"/> consecutive passes (so an in-flight create is never robbed); one a Service
/// holds but the allocator lost is taken again; duplicates and out-of-range values are reported as Warning events
/// on the Service.
/// </summary>
internal sealed partial class AllocationRepair
{
    public const int LeakPasses = 3;

    private readonly ObjectStore _objects;
    private readonly ResourceRegistry _registry;
    private readonly ServiceAllocation _allocation;
    private readonly EventWriter _events;
    private readonly ILogger _logger;
    private readonly Dictionary<IPAddress, int> _leakedIps = [];
    private readonly Dictionary<int, int> _leakedPorts = [];

    public AllocationRepair(ObjectStore objects, ResourceRegistry registry, ServiceAllocation allocation, EventWriter events, ILogger logger)
    {
        _objects = objects;
        _registry = registry;
        _allocation = allocation;
        _events = events;
        _logger = logger;
    }

    public async Task RunAsync(TimeSpan interval, TimeProvider time, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            await RepairOnceAsync(ct).ConfigureAwait(false);
        }
    }

    public async Task RepairOnceAsync(CancellationToken ct)
    {
        var services = _registry.Find("", "services")!;
        var list = await _objects.Store.ListAsync(ObjectStore.Prefix(services, null), null, 0, ct).ConfigureAwait(false);
        var ipOwners = new Dictionary<IPAddress, V1Service>();
        var portOwners = new Dictionary<int, V1Service>();
        foreach (var kv in list.Items)
        {
            var svc = (V1Service)_objects.Decode(services, kv).Object;
            await CheckClusterIpAsync(svc, ipOwners, ct).ConfigureAwait(false);
            foreach (var port in ServiceAllocation.UsedNodePorts(svc))
            {
                await CheckNodePortAsync(svc, port, portOwners, ct).ConfigureAwait(false);
            }
        }

        ReleaseLeaks(ipOwners, portOwners);
    }

    private async Task CheckClusterIpAsync(V1Service svc, Dictionary<IPAddress, V1Service> owners, CancellationToken ct)
    {
        if (!ServiceAllocation.NeedsClusterIp(svc) || !IPAddress.TryParse(svc.Spec.ClusterIP, out var ip))
        {
            return;
        }

        if (_allocation.ClusterIps.Cidr.IndexOf(ip) < 0)
        {
            await _events.WarnAsync(svc, "ClusterIPOutOfRange", $"Cluster IP [IPv4]: {ip} is not within the configured Service CIDR {_allocation.ClusterIps.Cidr.Text}; please recreate service", ct).ConfigureAwait(false);
            return;
        }

        if (owners.TryAdd(ip, svc))
        {
            if (_allocation.ClusterIps.Allocate(ip) == AllocationOutcome.Allocated)
            {
                await _events.WarnAsync(svc, "ClusterIPNotAllocated", $"Cluster IP [IPv4]: {ip} is not allocated; repairing", ct).ConfigureAwait(false);
            }

            return;
        }

        await _events.WarnAsync(svc, "ClusterIPAlreadyAllocated", $"Cluster IP [IPv4]: {ip} was assigned to multiple services; please recreate service", ct).ConfigureAwait(false);
    }

    private async Task CheckNodePortAsync(V1Service svc, int port, Dictionary<int, V1Service> owners, CancellationToken ct)
    {
        if (!_allocation.NodePorts.Contains(port))
        {
            await _events.WarnAsync(svc, "PortOutOfRange", $"Port {port} is not within the port range {_allocation.NodePorts.Range}; please recreate service", ct).ConfigureAwait(false);
            return;
        }

        if (owners.TryAdd(port, svc))
        {
            if (_allocation.NodePorts.Allocate(port) == AllocationOutcome.Allocated)
            {
                await _events.WarnAsync(svc, "PortNotAllocated", $"Port {port} is not allocated; repairing", ct).ConfigureAwait(false);
            }

            return;
        }

        if (!ReferenceEquals(owners[port], svc))
        {
            await _events.WarnAsync(svc, "PortAlreadyAllocated", $"Port {port} was assigned to multiple services; please recreate service", ct).ConfigureAwait(false);
        }
    }

    /// <summary>Counts a leak pass for every allocation no Service holds; frees those seen <see cref="LeakPasses"/> times.</summary>
    private void ReleaseLeaks(Dictionary<IPAddress, V1Service> ipOwners, Dictionary<int, V1Service> portOwners)
    {
        var leakedIps = _allocation.ClusterIps.AllocatedAddresses().Where(ip => !ipOwners.ContainsKey(ip)).ToHashSet();
        foreach (var ip in Passes(_leakedIps, leakedIps))
        {
            _allocation.ClusterIps.Release(ip);
            Log.Released(_logger, ip.ToString());
        }

        var leakedPorts = _allocation.NodePorts.AllocatedPorts().Where(p => !portOwners.ContainsKey(p)).ToHashSet();
        foreach (var port in Passes(_leakedPorts, leakedPorts))
        {
            _allocation.NodePorts.Release(port);
            Log.Released(_logger, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Advances the leak counters to this pass's leaks and returns the ones that have been leaked long enough.</summary>
    private static List<T> Passes<T>(Dictionary<T, int> counters, HashSet<T> leaked)
        where T : notnull
    {
        foreach (var gone in counters.Keys.Where(k => !leaked.Contains(k)).ToList())
        {
            counters.Remove(gone);
        }

        var release = new List<T>();
        foreach (var value in leaked)
        {
            var seen = counters[value] = counters.GetValueOrDefault(value) + 1;
            if (seen >= LeakPasses)
            {
                counters.Remove(value);
                release.Add(value);
            }
        }

        return release;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "released leaked allocation {Value} after several repair passes")]
        public static partial void Released(ILogger logger, string value);
    }
}
