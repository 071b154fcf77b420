using System.Net;
using System.Net.Sockets;
using Berth.Controllers.Common;
using Berth.Controllers.Endpoints;
using Berth.Controllers.EndpointSlices;
using k8s.Models;

namespace Berth.Controllers.EndpointSliceMirroring;

/// <summary>
/// Pure planner of the EndpointSlice mirroring controller (docs/kubernetes-services.md §4.5), after
/// <c>pkg/controller/endpointslicemirroring</c> (<c>syncEndpoints</c>, <c>reconciler.go</c>): copies a user-managed
/// Endpoints of a selector-less Service into EndpointSlices, one slice per (address type, port list).
/// </summary>
internal static class MirroringPlanner
{
    /// <summary>Upstream <c>--mirroring-max-endpoints-per-subset</c> default: addresses mirrored per subset.</summary>
    public const int MaxEndpointsPerSubset = 1000;

    /// <summary>
    /// Plans the mirrored slices for one Service name. <paramref name="service"/> or <paramref name="endpoints"/>
    /// null means not found. <paramref name="existingSlices"/> are the slices labelled with the service name and
    /// managed by the mirroring controller. Everything is deleted when the Service is gone or has a selector, or the
    /// Endpoints is gone, labelled skip-mirror, or is a leader-election lock.
    /// </summary>
    public static EndpointSlicePlan Plan(V1Service? service, V1Endpoints? endpoints, IReadOnlyList<V1EndpointSlice> existingSlices)
    {
        ArgumentNullException.ThrowIfNull(existingSlices);

        if (service is null || service.Spec?.Selector is { Count: > 0 } || endpoints is null || !ShouldMirror(endpoints))
        {
            return existingSlices.Count == 0 ? EndpointSlicePlan.Empty : new EndpointSlicePlan([], [], [.. existingSlices], []);
        }

        // Desired endpoints per (address type, ports), from the canonicalised subsets.
        var desired = new SortedDictionary<string, (string AddressType, List<Discoveryv1EndpointPort> Ports, EndpointSet Endpoints)>(StringComparer.Ordinal);
        foreach (var subset in EndpointSubsets.Repack(endpoints.Subsets))
        {
            var ports = (subset.Ports ?? []).Select(p => new Discoveryv1EndpointPort
            {
                Name = p.Name ?? string.Empty,
                Port = p.Port,
                Protocol = p.Protocol ?? "TCP",
                AppProtocol = p.AppProtocol,
            }).ToList();
            var added = 0;
            var candidates = (subset.Addresses ?? []).Select(a => (Address: a, Ready: true))
                .Concat((subset.NotReadyAddresses ?? []).Select(a => (Address: a, Ready: false)));
            foreach (var (address, ready) in candidates)
            {
                if (added >= MaxEndpointsPerSubset)
                {
                    break;
                }

                if (AddressTypeOf(address.Ip) is not { } addressType)
                {
                    continue; // invalid IPs are not mirrored (upstream records an event)
                }

                var key = addressType + "\u0003" + EndpointComparison.PortMapKey(ports);
                if (!desired.TryGetValue(key, out var group))
                {
                    desired[key] = group = (addressType, ports, new EndpointSet());
                }

                group.Endpoints.Add(ToEndpoint(address, ready));
                added++;
            }
        }

        var existingByKey = new Dictionary<string, List<V1EndpointSlice>>(StringComparer.Ordinal);
        foreach (var slice in existingSlices.OrderBy(s => s.Metadata?.Name, StringComparer.Ordinal))
        {
            var key = slice.AddressType + "\u0003" + EndpointComparison.PortMapKey(slice.Ports);
            if (!existingByKey.TryGetValue(key, out var list))
            {
                existingByKey[key] = list = [];
            }

            list.Add(slice);
        }

        var create = new List<V1EndpointSlice>();
        var update = new List<V1EndpointSlice>();
        var delete = new List<V1EndpointSlice>();
        foreach (var (key, group) in desired)
        {
            var existing = existingByKey.TryGetValue(key, out var list) ? list : [];
            PlanPortMapping(endpoints, existing, group.Endpoints, group.Ports, group.AddressType, create, update, delete);
        }

        foreach (var (key, slices) in existingByKey)
        {
            if (!desired.ContainsKey(key))
            {
                delete.AddRange(slices);
            }
        }

        Recycle(create, update, delete);
        if (endpoints.Metadata?.DeletionTimestamp is not null)
        {
            create.Clear();
        }

        return create.Count + update.Count + delete.Count == 0 ? EndpointSlicePlan.Empty : new EndpointSlicePlan(create, update, delete, []);
    }

    /// <summary>Upstream <c>shouldMirror</c>: not labelled skip-mirror=true and not a leader-election lock.</summary>
    public static bool ShouldMirror(V1Endpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var skip = endpoints.Metadata?.Labels is { } labels
            && labels.TryGetValue(WellKnown.SkipMirrorLabel, out var value)
            && value == "true";
        var leaderLock = endpoints.Metadata?.Annotations?.ContainsKey(WellKnown.LeaderElectionAnnotation) == true;
        return !skip && !leaderLock;
    }

    /// <summary>
    /// One slice per group (upstream <c>reconcileByPortMapping</c>): extra slices go; the first is kept as is when
    /// its endpoints, labels and annotations already match, else rewritten in place.
    /// </summary>
    private static void PlanPortMapping(
        V1Endpoints endpoints,
        List<V1EndpointSlice> existing,
        EndpointSet desired,
        List<Discoveryv1EndpointPort> ports,
        string addressType,
        List<V1EndpointSlice> create,
        List<V1EndpointSlice> update,
        List<V1EndpointSlice> delete)
    {
        string? name = null;
        if (existing.Count > 0)
        {
            delete.AddRange(existing.Skip(1));
            var first = existing[0];
            var annotations = WithoutMirrorExcluded(endpoints.Metadata.Annotations);
            var labels = ObjectCopy.CloneMap(first.Metadata.Labels);
            labels.Remove(WellKnown.ManagedByLabel);
            labels.Remove(WellKnown.ServiceNameLabel);
            if (EndpointsMatch(first, desired)
                && ObjectCopy.MapsEqual(endpoints.Metadata.Labels, labels)
                && ObjectCopy.MapsEqual(annotations, first.Metadata.Annotations))
            {
                return;
            }

            name = first.Metadata.Name;
        }

        var slice = NewSlice(endpoints, ports, addressType, name, existing.FirstOrDefault());
        while (desired.Count > 0 && slice.Endpoints.Count < MaxEndpointsPerSubset)
        {
            slice.Endpoints.Add(desired.Pop());
        }

        (name is null ? create : update).Add(slice);
    }

    private static bool EndpointsMatch(V1EndpointSlice slice, EndpointSet desired)
    {
        var matched = 0;
        foreach (var endpoint in slice.Endpoints ?? [])
        {
            if (desired.Get(endpoint) is not { } wanted || !EndpointComparison.EqualBeyondKey(wanted, endpoint))
            {
                return false;
            }

            matched++;
        }

        return matched == desired.Count;
    }

    private static V1EndpointSlice NewSlice(V1Endpoints endpoints, List<Discoveryv1EndpointPort> ports, string addressType, string? name, V1EndpointSlice? existing)
    {
        var labels = ObjectCopy.CloneMap(endpoints.Metadata.Labels);
        labels[WellKnown.ServiceNameLabel] = endpoints.Metadata.Name;
        labels[WellKnown.ManagedByLabel] = WellKnown.EndpointSliceMirroringControllerName;
        return new V1EndpointSlice
        {
            ApiVersion = "discovery.k8s.io/v1",
            Kind = "EndpointSlice",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                GenerateName = name is null ? ServiceUtil.GenerateNamePrefix(endpoints.Metadata.Name) : null,
                NamespaceProperty = endpoints.Metadata.NamespaceProperty,
                ResourceVersion = existing?.Metadata.ResourceVersion,
                Uid = existing?.Metadata.Uid,
                OwnerReferences = [ServiceUtil.ControllerRef(endpoints.Metadata, "v1", "Endpoints")],
                Labels = labels,
                Annotations = WithoutMirrorExcluded(endpoints.Metadata.Annotations),
            },
            AddressType = addressType,
            Ports = [.. ports],
            Endpoints = [],
        };
    }

    /// <summary>All Endpoints annotations but the trigger time and kubectl's last-applied configuration.</summary>
    private static Dictionary<string, string> WithoutMirrorExcluded(IDictionary<string, string>? annotations)
    {
        var copy = ObjectCopy.CloneMap(annotations);
        copy.Remove(WellKnown.LastChangeTriggerTimeAnnotation);
        copy.Remove(WellKnown.LastAppliedConfigAnnotation);
        return copy;
    }

    private static V1Endpoint ToEndpoint(V1EndpointAddress address, bool ready) =>
        new()
        {
            Addresses = [address.Ip],
            Conditions = new V1EndpointConditions { Ready = ready },
            TargetRef = address.TargetRef is null ? null : ObjectCopy.Clone(address.TargetRef),
            NodeName = address.NodeName,
            Hostname = string.IsNullOrEmpty(address.Hostname) ? null : address.Hostname,
        };

    private static string? AddressTypeOf(string? ip) =>
        IPAddress.TryParse(ip, out var parsed)
            ? parsed.AddressFamily == AddressFamily.InterNetworkV6 ? EndpointFactory.IPv6 : EndpointFactory.IPv4
            : null;

    /// <summary>Creates become updates of slices that would otherwise be deleted (upstream <c>recycleSlices</c>).</summary>
    private static void Recycle(List<V1EndpointSlice> create, List<V1EndpointSlice> update, List<V1EndpointSlice> delete)
    {
        for (var i = create.Count - 1; i >= 0; i--)
        {
            var index = delete.FindIndex(d => d.AddressType == create[i].AddressType);
            if (index < 0)
            {
                continue;
            }

            var slice = create[i];
            var victim = delete[index];
            slice.Metadata.Name = victim.Metadata.Name;
            slice.Metadata.GenerateName = null;
            slice.Metadata.ResourceVersion = victim.Metadata.ResourceVersion;
            slice.Metadata.Uid = victim.Metadata.Uid;
            create.RemoveAt(i);
            delete.RemoveAt(index);
            update.Add(slice);
        }
    }
}
