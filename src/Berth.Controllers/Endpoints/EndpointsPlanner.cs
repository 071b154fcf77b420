using Berth.Controllers.Common;
using Berth.Controllers.EndpointSlices;
using k8s.Models;

namespace Berth.Controllers.Endpoints;

/// <summary>
/// Pure planner of the (legacy) Endpoints controller, docs/kubernetes-services.md §4.3, after
/// <c>pkg/controller/endpoint/endpoints_controller.go</c> <c>syncService</c>.
/// </summary>
internal static class EndpointsPlanner
{
    /// <summary>Upstream <c>maxCapacity</c>: addresses (ready + not ready) an Endpoints object may hold.</summary>
    public const int MaxCapacity = 1000;

    /// <summary>
    /// The Endpoints object the Service should have. Starts from a copy of <paramref name="existing"/> (keeping its
    /// name, resourceVersion and foreign annotations) or a new object named after the Service.
    /// </summary>
    public static V1Endpoints Desired(V1Service service, IReadOnlyList<V1Pod> pods, V1Endpoints? existing, DateTimeOffset? triggerTime)
    {
        ArgumentNullException.ThrowIfNull(service?.Metadata);
        ArgumentNullException.ThrowIfNull(pods);

        var publishNotReady = service.Spec?.PublishNotReadyAddresses == true;
        var servicePorts = service.Spec?.Ports ?? [];
        var headlessWithoutPorts = servicePorts.Count == 0 && service.Spec?.ClusterIP == "None";
        var raw = new List<V1EndpointSubset>();
        foreach (var pod in pods)
        {
            if (!PodUtil.ShouldBeInEndpoints(pod, includeTerminating: publishNotReady) || AddressFor(service, pod) is not { } address)
            {
                continue;
            }

            var ready = publishNotReady || PodUtil.IsReady(pod);
            if (headlessWithoutPorts)
            {
                raw.Add(Subset(address, ready, null));
                continue;
            }

            foreach (var servicePort in servicePorts)
            {
                if (PodUtil.FindPort(pod, servicePort) is { } number)
                {
                    var port = new Corev1EndpointPort
                    {
                        Name = string.IsNullOrEmpty(servicePort.Name) ? null : servicePort.Name,
                        Port = number,
                        Protocol = servicePort.Protocol ?? "TCP",
                        AppProtocol = servicePort.AppProtocol,
                    };
                    raw.Add(Subset(address, ready, port));
                }
            }
        }

        var subsets = EndpointSubsets.Repack(raw);
        var truncated = EndpointSubsets.Truncate(subsets, MaxCapacity);

        var desired = existing is null
            ? new V1Endpoints { Metadata = new V1ObjectMeta { Name = service.Metadata.Name, NamespaceProperty = service.Metadata.NamespaceProperty } }
            : ObjectCopy.Clone(existing);
        desired.ApiVersion = "v1";
        desired.Kind = "Endpoints";
        desired.Subsets = subsets;
        desired.Metadata.Labels = ObjectCopy.CloneMap(service.Metadata.Labels);
        if (ServiceUtil.HasClusterIp(service))
        {
            desired.Metadata.Labels.Remove(WellKnown.HeadlessLabel);
        }
        else
        {
            desired.Metadata.Labels[WellKnown.HeadlessLabel] = string.Empty;
        }

        EndpointFactory.SetTriggerTime(desired.Metadata, triggerTime);
        if (truncated)
        {
            desired.Metadata.Annotations[WellKnown.OverCapacityAnnotation] = "truncated";
        }
        else
        {
            desired.Metadata.Annotations.Remove(WellKnown.OverCapacityAnnotation);
        }

        return desired;
    }

    /// <summary>
    /// True when writing <paramref name="desired"/> would change nothing that matters: same subsets (targetRef
    /// resourceVersions ignored), same labels, same over-capacity annotation. The trigger time alone never causes a write.
    /// </summary>
    public static bool IsUnchanged(V1Endpoints existing, V1Endpoints desired)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(desired);

        return ObjectCopy.MapsEqual(existing.Metadata?.Labels, desired.Metadata?.Labels)
            && OverCapacity(existing) == OverCapacity(desired)
            && SubsetsKey(existing.Subsets) == SubsetsKey(desired.Subsets);
    }

    private static string? OverCapacity(V1Endpoints endpoints) =>
        endpoints.Metadata?.Annotations is { } annotations && annotations.TryGetValue(WellKnown.OverCapacityAnnotation, out var value) ? value : null;

    private static string SubsetsKey(IList<V1EndpointSubset>? subsets)
    {
        var copies = (subsets ?? []).Select(ObjectCopy.Clone).ToList();
        foreach (var address in copies.SelectMany(s => (s.Addresses ?? []).Concat(s.NotReadyAddresses ?? [])))
        {
            if (address.TargetRef is not null)
            {
                address.TargetRef.ResourceVersion = null;
            }
        }

        return CanonicalJson.Render(copies);
    }

    private static V1EndpointSubset Subset(V1EndpointAddress address, bool ready, Corev1EndpointPort? port) =>
        new()
        {
            Addresses = ready ? [address] : null,
            NotReadyAddresses = ready ? null : [address],
            Ports = port is null ? null : [port],
        };

    /// <summary>
    /// The pod's address in the Service's primary family (<c>podToEndpointAddressForService</c>): ipFamilies[0], else
    /// the cluster IP's family, else (headless) the family of the pod's primary IP. Null when the pod has none.
    /// </summary>
    private static V1EndpointAddress? AddressFor(V1Service service, V1Pod pod)
    {
        var ips = PodUtil.PodIps(pod);
        bool wantIPv6;
        if (service.Spec?.IpFamilies is { Count: > 0 } families)
        {
            wantIPv6 = families[0] == "IPv6";
        }
        else if (ServiceUtil.HasClusterIp(service))
        {
            wantIPv6 = ServiceUtil.IsIPv6(service.Spec!.ClusterIP);
        }
        else
        {
            wantIPv6 = ServiceUtil.IsIPv6(ips[0]);
        }

        var ip = ips.FirstOrDefault(i => ServiceUtil.IsIPv6(i) == wantIPv6);
        if (ip is null)
        {
            return null;
        }

        return new V1EndpointAddress
        {
            Ip = ip,
            NodeName = string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName,
            Hostname = ServiceUtil.ShouldSetHostname(pod, service) ? pod.Spec!.Hostname : null,
            TargetRef = new V1ObjectReference
            {
                Kind = "Pod",
                NamespaceProperty = pod.Metadata.NamespaceProperty,
                Name = pod.Metadata.Name,
                Uid = pod.Metadata.Uid,
                ResourceVersion = pod.Metadata.ResourceVersion,
            },
        };
    }
}
