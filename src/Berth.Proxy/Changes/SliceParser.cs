using System.Net;
using Berth.Proxy.Model;
using k8s.Models;

namespace Berth.Proxy.Changes;

/// <summary>
/// Reads a <see cref="V1EndpointSlice"/> into the proxy's <see cref="SliceInfo"/> (kube-proxy's
/// <c>newEndpointSliceInfo</c>, pkg/proxy/endpointslicecache.go). FQDN slices carry no addresses a proxy can use.
/// </summary>
internal static class SliceParser
{
    /// <summary>The label that joins a slice to its Service.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>The time of the change that caused the slice's last write (§1.9), for network programming latency.</summary>
    public const string TriggerTimeAnnotation = "endpoints.kubernetes.io/last-change-trigger-time";

    /// <summary>The slice's Service key (<c>namespace/name</c>), or null when the slice names none.</summary>
    public static string? ServiceKey(V1EndpointSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        return slice.Metadata.Labels?.TryGetValue(ServiceNameLabel, out var name) == true && !string.IsNullOrEmpty(name)
            ? (slice.Metadata.NamespaceProperty ?? "default") + "/" + name
            : null;
    }

    public static DateTimeOffset? TriggerTime(V1EndpointSlice slice) =>
        slice.Metadata.Annotations?.TryGetValue(TriggerTimeAnnotation, out var value) == true
        && DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    public static SliceInfo Parse(V1EndpointSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        if (slice.AddressType is not ("IPv4" or "IPv6"))
        {
            return new SliceInfo(slice.Metadata.Name, [], []);
        }

        var ports = new List<SlicePort>();
        foreach (var port in slice.Ports ?? [])
        {
            if (port.Port is { } number && number > 0)
            {
                ports.Add(new SlicePort(port.Name ?? string.Empty, ServiceParser.ParseProtocol(port.Protocol), number));
            }
        }

        var endpoints = new List<SliceEndpoint>();
        foreach (var e in slice.Endpoints ?? [])
        {
            if (e.Addresses is not { Count: > 0 } addresses || !IPAddress.TryParse(addresses[0], out var address))
            {
                continue;
            }

            var conditions = e.Conditions;
            endpoints.Add(new SliceEndpoint(
                address,
                Ready: conditions?.Ready ?? true,
                Serving: conditions?.Serving ?? true,
                Terminating: conditions?.Terminating ?? false,
                e.NodeName,
                e.Zone,
                Names(e.Hints?.ForZones?.Select(z => z.Name)),
                Names(e.Hints?.ForNodes?.Select(n => n.Name))));
        }

        return new SliceInfo(slice.Metadata.Name, [.. ports], [.. endpoints]);
    }

    private static EquatableArray<string> Names(IEnumerable<string>? names) =>
        names is null ? [] : new EquatableArray<string>([.. names.Where(n => !string.IsNullOrEmpty(n))]);
}
