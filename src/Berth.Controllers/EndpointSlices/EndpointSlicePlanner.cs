using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.EndpointSlices;

/// <summary>
/// Pure planner of the EndpointSlice controller: desired endpoints for a Service versus its existing slices →
/// creates, updates and deletes (docs/kubernetes-services.md §4.4). A port of the reconciler in
/// <c>staging/src/k8s.io/endpointslice/reconciler.go</c> without topology hints; no I/O, no clock.
/// </summary>
internal static partial class EndpointSlicePlanner
{
    public static EndpointSlicePlan Plan(EndpointSlicePlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Service.Metadata);
        ArgumentOutOfRangeException.ThrowIfLessThan(input.MaxEndpointsPerSlice, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(input.MaxEndpointsPerSlice, 1000);

        var service = input.Service;
        var addressTypes = EndpointFactory.AddressTypes(service);
        var create = new List<V1EndpointSlice>();
        var update = new List<V1EndpointSlice>();
        var delete = new List<V1EndpointSlice>();
        var skipped = new SortedSet<string>(StringComparer.Ordinal);

        // Slices of an address type the Service no longer has are deleted outright.
        var byAddressType = addressTypes.ToDictionary(t => t, _ => new List<V1EndpointSlice>(), StringComparer.Ordinal);
        var unsupported = new List<V1EndpointSlice>();
        foreach (var slice in input.ExistingSlices)
        {
            if (slice.AddressType is { } type && byAddressType.TryGetValue(type, out var list))
            {
                list.Add(slice);
            }
            else
            {
                unsupported.Add(slice);
            }
        }

        foreach (var addressType in addressTypes)
        {
            var (c, u, d) = PlanAddressType(input, byAddressType[addressType], addressType, skipped);
            create.AddRange(c);
            update.AddRange(u);
            delete.AddRange(d);
        }

        delete.AddRange(unsupported);

        // Upstream never creates slices for a Service that is being deleted (the garbage collector would race).
        if (service.Metadata.DeletionTimestamp is not null)
        {
            create.Clear();
        }

        foreach (var slice in create.Concat(update))
        {
            EndpointFactory.SetTriggerTime(slice.Metadata, input.TriggerTime);
        }

        return create.Count + update.Count + delete.Count + skipped.Count == 0
            ? EndpointSlicePlan.Empty
            : new EndpointSlicePlan(create, update, delete, [.. skipped]);
    }

    private static (List<V1EndpointSlice> Create, List<V1EndpointSlice> Update, List<V1EndpointSlice> Delete) PlanAddressType(
        EndpointSlicePlanInput input, List<V1EndpointSlice> existingSlices, string addressType, SortedSet<string> skipped)
    {
        var service = input.Service;
        var create = new List<V1EndpointSlice>();
        var update = new List<V1EndpointSlice>();
        var delete = new List<V1EndpointSlice>();

        // Existing state, grouped by port list; slices of another Service (same name, other UID) go.
        var existingByPorts = new Dictionary<string, List<V1EndpointSlice>>(StringComparer.Ordinal);
        foreach (var slice in existingSlices)
        {
            if (EndpointComparison.OwnedBy(slice, service))
            {
                var key = EndpointComparison.PortMapKey(slice.Ports);
                if (!existingByPorts.TryGetValue(key, out var list))
                {
                    existingByPorts[key] = list = [];
                }

                list.Add(slice);
            }
            else
            {
                delete.Add(slice);
            }
        }

        // Desired state, grouped by the port list each pod resolves to.
        var desiredPorts = new Dictionary<string, List<Discoveryv1EndpointPort>>(StringComparer.Ordinal);
        var desiredEndpoints = new SortedDictionary<string, EndpointSet>(StringComparer.Ordinal);
        var publishNotReady = service.Spec?.PublishNotReadyAddresses == true;
        foreach (var pod in input.Pods.OrderBy(p => p.Metadata?.Name, StringComparer.Ordinal))
        {
            if (!PodUtil.ShouldBeInEndpoints(pod, includeTerminating: true))
            {
                continue;
            }

            var ports = EndpointFactory.EndpointPorts(service, pod);
            var key = EndpointComparison.PortMapKey(ports);
            if (!desiredEndpoints.TryGetValue(key, out var set))
            {
                desiredEndpoints[key] = set = new EndpointSet();
                desiredPorts[key] = ports;
            }

            string? zone = null;
            var nodeName = pod.Spec?.NodeName ?? string.Empty;
            if (!input.NodeZones.TryGetValue(nodeName, out zone) && !publishNotReady)
            {
                // Upstream: a pod on an unknown node is left out and the Service retried, so a dangling node
                // reference cannot wedge the slice; publishNotReadyAddresses asks for the address regardless.
                skipped.Add(pod.Metadata.Name);
                continue;
            }

            var endpoint = EndpointFactory.PodToEndpoint(pod, zone, service, addressType);
            if (endpoint.Addresses.Count > 0)
            {
                set.Add(endpoint);
            }
        }

        foreach (var (key, set) in desiredEndpoints)
        {
            var existing = existingByPorts.TryGetValue(key, out var list) ? list : [];
            var (c, u, d) = PlanPortMapping(service, existing, set, desiredPorts[key], addressType, input.MaxEndpointsPerSlice);
            create.AddRange(c);
            update.AddRange(u);
            delete.AddRange(d);
        }

        foreach (var (key, slices) in existingByPorts)
        {
            if (!desiredEndpoints.ContainsKey(key))
            {
                delete.AddRange(slices);
            }
        }

        // With no endpoints at all a placeholder slice keeps the Service visible; keep an identical one.
        if (existingSlices.Count == delete.Count && create.Count == 0)
        {
            var placeholder = EndpointFactory.NewSlice(service, [], addressType);
            if (delete.Count == 1 && EndpointComparison.PlaceholderEqual(delete[0], placeholder))
            {
                delete.Clear();
            }
            else
            {
                create.Add(placeholder);
            }
        }

        RecycleDeletedSlices(service, create, update, delete);
        return (create, update, delete);
    }

    /// <summary>
    /// Turns creates into updates of slices that would otherwise be deleted (upstream <c>finalize</c>): fewer
    /// writes and stable slice names. Only slices owned by this Service with the same address type are reused.
    /// </summary>
    private static void RecycleDeletedSlices(V1Service service, List<V1EndpointSlice> create, List<V1EndpointSlice> update, List<V1EndpointSlice> delete)
    {
        for (var i = 0; i < delete.Count && create.Count > 0;)
        {
            var victim = delete[i];
            var slice = create[^1];
            if (victim.AddressType == slice.AddressType && EndpointComparison.OwnedBy(victim, service))
            {
                slice.Metadata.Name = victim.Metadata.Name;
                slice.Metadata.ResourceVersion = victim.Metadata.ResourceVersion;
                slice.Metadata.Uid = victim.Metadata.Uid;
                slice.Metadata.Annotations = ObjectCopy.CloneMap(victim.Metadata.Annotations);
                create.RemoveAt(create.Count - 1);
                update.Add(slice);
                delete.RemoveAt(i);
            }
            else
            {
                i++;
            }
        }
    }
}
