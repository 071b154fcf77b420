using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.EndpointSlices;

internal static partial class EndpointSlicePlanner
{
    /// <summary>
    /// Upstream <c>reconcileByPortMapping</c>, for the slices sharing one port list:
    /// 1. drop endpoints no longer desired from existing slices and refresh changed ones (and labels);
    /// 2. top up the slices already being updated, fullest first;
    /// 3. put what is left into the unchanged slice closest to full that fits it all, else into new slices.
    /// </summary>
    private static (List<V1EndpointSlice> Create, List<V1EndpointSlice> Update, List<V1EndpointSlice> Delete) PlanPortMapping(
        V1Service service,
        IReadOnlyList<V1EndpointSlice> existingSlices,
        EndpointSet desired,
        IReadOnlyList<Discoveryv1EndpointPort> ports,
        string addressType,
        int maxEndpointsPerSlice)
    {
        var byName = new Dictionary<string, V1EndpointSlice>(StringComparer.Ordinal);
        var unchanged = new List<string>();
        var toUpdate = new List<string>();
        var toDelete = new List<string>();
        var labels = EndpointFactory.SliceLabels(service, WellKnown.EndpointSliceControllerName);

        // 1.
        foreach (var existing in existingSlices)
        {
            var name = existing.Metadata.Name;
            byName[name] = existing;
            var kept = new List<V1Endpoint>();
            var endpointChanged = false;
            foreach (var endpoint in existing.Endpoints ?? [])
            {
                if (desired.Get(endpoint) is { } wanted)
                {
                    kept.Add(wanted);
                    endpointChanged |= !EndpointComparison.EqualBeyondKey(wanted, endpoint);
                    desired.Remove(endpoint);
                }
            }

            var labelsChanged = !ObjectCopy.MapsEqual(existing.Metadata.Labels, labels);
            if (endpointChanged || kept.Count != (existing.Endpoints?.Count ?? 0))
            {
                if (kept.Count == 0)
                {
                    toDelete.Add(name);
                }
                else
                {
                    var copy = ObjectCopy.Clone(existing);
                    copy.Endpoints = kept;
                    copy.Metadata.Labels = new Dictionary<string, string>(labels);
                    byName[name] = copy;
                    toUpdate.Add(name);
                }
            }
            else if (labelsChanged)
            {
                var copy = ObjectCopy.Clone(existing);
                copy.Metadata.Labels = new Dictionary<string, string>(labels);
                byName[name] = copy;
                toUpdate.Add(name);
            }
            else
            {
                unchanged.Add(name);
            }
        }

        // 2.
        if (desired.Count > 0 && toUpdate.Count > 0)
        {
            foreach (var slice in toUpdate.Select(n => byName[n]).OrderByDescending(s => s.Endpoints.Count))
            {
                while (desired.Count > 0 && slice.Endpoints.Count < maxEndpointsPerSlice)
                {
                    slice.Endpoints.Add(desired.Pop());
                }
            }
        }

        // 3.
        var create = new List<V1EndpointSlice>();
        while (desired.Count > 0)
        {
            V1EndpointSlice? target = null;
            if (desired.Count < maxEndpointsPerSlice && unchanged.Count > 0)
            {
                target = SliceToFill(unchanged.Select(n => byName[n]), desired.Count, maxEndpointsPerSlice);
            }

            if (target is null)
            {
                target = EndpointFactory.NewSlice(service, ports, addressType);
            }
            else
            {
                target = ObjectCopy.Clone(target);
                target.Endpoints ??= [];
                byName[target.Metadata.Name] = target;
            }

            while (desired.Count > 0 && target.Endpoints.Count < maxEndpointsPerSlice)
            {
                target.Endpoints.Add(desired.Pop());
            }

            if (!string.IsNullOrEmpty(target.Metadata.Name))
            {
                toUpdate.Add(target.Metadata.Name);
                unchanged.Remove(target.Metadata.Name);
            }
            else
            {
                create.Add(target);
            }
        }

        return (create, [.. toUpdate.Select(n => byName[n])], [.. toDelete.Select(n => byName[n])]);
    }

    /// <summary>The unchanged slice that would be closest to full after taking <paramref name="count"/> endpoints (<c>getSliceToFill</c>).</summary>
    private static V1EndpointSlice? SliceToFill(IEnumerable<V1EndpointSlice> slices, int count, int max)
    {
        var closestDiff = max;
        V1EndpointSlice? closest = null;
        foreach (var slice in slices)
        {
            var diff = max - (count + (slice.Endpoints?.Count ?? 0));
            if (diff >= 0 && diff < closestDiff)
            {
                closestDiff = diff;
                closest = slice;
                if (diff == 0)
                {
                    break;
                }
            }
        }

        return closest;
    }
}
