using System.Globalization;
using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.EndpointSlices;

/// <summary>Builds desired endpoints, port lists and new slices (upstream <c>utils.go</c>).</summary>
internal static class EndpointFactory
{
    public const string IPv4 = "IPv4";
    public const string IPv6 = "IPv6";

    /// <summary>
    /// Address types for a Service (<c>getAddressTypesForService</c>): its ipFamilies; failing that the family of
    /// its cluster IP; failing that (headless, families not yet defaulted) both.
    /// </summary>
    public static IReadOnlyList<string> AddressTypes(V1Service service)
    {
        var types = new List<string>();
        foreach (var family in service.Spec?.IpFamilies ?? [])
        {
            if ((family == IPv4 || family == IPv6) && !types.Contains(family))
            {
                types.Add(family);
            }
        }

        if (types.Count > 0)
        {
            return types;
        }

        if (ServiceUtil.HasClusterIp(service))
        {
            return [ServiceUtil.IsIPv6(service.Spec!.ClusterIP) ? IPv6 : IPv4];
        }

        return [IPv4, IPv6];
    }

    /// <summary>One port per Service port that resolves on this pod (<c>getEndpointPorts</c>, §4.2).</summary>
    public static List<Discoveryv1EndpointPort> EndpointPorts(V1Service service, V1Pod pod)
    {
        var ports = new List<Discoveryv1EndpointPort>();
        foreach (var servicePort in service.Spec?.Ports ?? [])
        {
            if (PodUtil.FindPort(pod, servicePort) is not { } number)
            {
                continue;
            }

            ports.Add(new Discoveryv1EndpointPort
            {
                Name = servicePort.Name ?? string.Empty,
                Port = number,
                Protocol = servicePort.Protocol ?? "TCP",
                AppProtocol = servicePort.AppProtocol,
            });
        }

        return ports;
    }

    /// <summary>The endpoint for a pod in one address family (<c>podToEndpoint</c>, §4.4).</summary>
    public static V1Endpoint PodToEndpoint(V1Pod pod, string? zone, V1Service service, string addressType)
    {
        var serving = PodUtil.IsReady(pod);
        var terminating = PodUtil.IsTerminating(pod);
        // Ready is never true for a terminating pod unless publishNotReadyAddresses (compatibility, upstream).
        var ready = service.Spec?.PublishNotReadyAddresses == true || (serving && !terminating);
        var endpoint = new V1Endpoint
        {
            Addresses = [.. PodUtil.PodIps(pod).Where(ip => ServiceUtil.IsIPv6(ip) == (addressType == IPv6))],
            Conditions = new V1EndpointConditions { Ready = ready, Serving = serving, Terminating = terminating },
            TargetRef = new V1ObjectReference
            {
                Kind = "Pod",
                NamespaceProperty = pod.Metadata.NamespaceProperty,
                Name = pod.Metadata.Name,
                Uid = pod.Metadata.Uid,
            },
        };
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            endpoint.NodeName = pod.Spec.NodeName;
        }

        if (!string.IsNullOrEmpty(zone))
        {
            endpoint.Zone = zone;
        }

        if (ServiceUtil.ShouldSetHostname(pod, service))
        {
            endpoint.Hostname = pod.Spec!.Hostname;
        }

        return endpoint;
    }

    /// <summary>
    /// Slice labels (<c>setEndpointSliceLabels</c>): the Service's labels minus the reserved keys, the headless label
    /// when there is no cluster IP, then service-name and managed-by.
    /// </summary>
    public static Dictionary<string, string> SliceLabels(V1Service service, string controllerName)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in service.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            if (!IsReservedLabel(key))
            {
                labels[key] = value;
            }
        }

        if (!ServiceUtil.HasClusterIp(service))
        {
            labels[WellKnown.HeadlessLabel] = string.Empty;
        }

        labels[WellKnown.ServiceNameLabel] = service.Metadata!.Name;
        labels[WellKnown.ManagedByLabel] = controllerName;
        return labels;
    }

    public static bool IsReservedLabel(string key) =>
        key is WellKnown.ServiceNameLabel or WellKnown.ManagedByLabel or WellKnown.HeadlessLabel;

    /// <summary>An empty new slice for a Service (<c>newEndpointSlice</c>).</summary>
    public static V1EndpointSlice NewSlice(V1Service service, IEnumerable<Discoveryv1EndpointPort> ports, string addressType) =>
        new()
        {
            ApiVersion = "discovery.k8s.io/v1",
            Kind = "EndpointSlice",
            Metadata = new V1ObjectMeta
            {
                GenerateName = ServiceUtil.GenerateNamePrefix(service.Metadata.Name),
                NamespaceProperty = service.Metadata.NamespaceProperty,
                OwnerReferences = [ServiceUtil.ControllerRef(service.Metadata, "v1", "Service")],
                Labels = SliceLabels(service, WellKnown.EndpointSliceControllerName),
            },
            AddressType = addressType,
            Ports = [.. ports.Select(p => new Discoveryv1EndpointPort { Name = p.Name, Port = p.Port, Protocol = p.Protocol, AppProtocol = p.AppProtocol })],
            Endpoints = [],
        };

    /// <summary>Sets (or, with no trigger time, removes) the last-change-trigger-time annotation.</summary>
    public static void SetTriggerTime(V1ObjectMeta meta, DateTimeOffset? triggerTime)
    {
        meta.Annotations ??= new Dictionary<string, string>();
        if (triggerTime is { } time)
        {
            meta.Annotations[WellKnown.LastChangeTriggerTimeAnnotation] = FormatRfc3339Nano(time);
        }
        else
        {
            meta.Annotations.Remove(WellKnown.LastChangeTriggerTimeAnnotation);
        }
    }

    /// <summary>Go's <c>time.RFC3339Nano</c> in UTC: trailing zeros of the fraction are dropped.</summary>
    public static string FormatRfc3339Nano(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var fraction = utc.ToString("fffffff", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
            + (fraction.Length > 0 ? "." + fraction : string.Empty) + "Z";
    }
}
