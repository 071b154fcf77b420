using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.EndpointSlices;

/// <summary>
/// Identity and equality of endpoints and port lists, after <c>k8s.io/endpointslice/util</c>
/// (<c>hashEndpoint</c>, <c>EndpointsEqualBeyondHash</c>, <c>NewPortMapKey</c>).
/// </summary>
internal static class EndpointComparison
{
    /// <summary>Identity: sorted addresses, hostname and target namespace/name (upstream <c>endpointHashObj</c>).</summary>
    public static string Key(V1Endpoint endpoint)
    {
        var addresses = (endpoint.Addresses ?? []).Order(StringComparer.Ordinal);
        return string.Join(
            '\u0000',
            endpoint.TargetRef?.NamespaceProperty ?? string.Empty,
            endpoint.TargetRef?.Name ?? string.Empty,
            endpoint.Hostname ?? string.Empty,
            string.Join(',', addresses));
    }

    /// <summary>Equal in everything the key does not cover; targetRef resourceVersion is ignored.</summary>
    public static bool EqualBeyondKey(V1Endpoint a, V1Endpoint b) =>
        a.NodeName == b.NodeName
        && a.Zone == b.Zone
        && a.Conditions?.Ready == b.Conditions?.Ready
        && a.Conditions?.Serving == b.Conditions?.Serving
        && a.Conditions?.Terminating == b.Conditions?.Terminating
        && HintsEqual(a.Hints, b.Hints)
        && TargetRefsEqual(a.TargetRef, b.TargetRef);

    public static bool TargetRefsEqual(V1ObjectReference? a, V1ObjectReference? b) =>
        (a is null && b is null)
        || (a is not null && b is not null
            && a.Kind == b.Kind && a.NamespaceProperty == b.NamespaceProperty && a.Name == b.Name
            && a.Uid == b.Uid && a.ApiVersion == b.ApiVersion && a.FieldPath == b.FieldPath);

    private static bool HintsEqual(V1EndpointHints? a, V1EndpointHints? b) =>
        (a is null && b is null)
        || (a is not null && b is not null && CanonicalJson.Render(a) == CanonicalJson.Render(b));

    /// <summary>An order-insensitive key for a port list (upstream hashes the sorted ports).</summary>
    public static string PortMapKey(IEnumerable<Discoveryv1EndpointPort>? ports) =>
        string.Join(
            '\u0001',
            (ports ?? []).Select(p => string.Join('\u0000', p.Name ?? string.Empty, p.Protocol ?? "TCP", p.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, p.AppProtocol ?? string.Empty))
                .Order(StringComparer.Ordinal));

    /// <summary>True when the slice has an owner reference to this Service's UID (upstream <c>ownedBy</c>).</summary>
    public static bool OwnedBy(V1EndpointSlice slice, V1Service service) =>
        slice.Metadata?.OwnerReferences?.Any(o => o.Uid == service.Metadata.Uid && o.Kind == "Service" && o.ApiVersion == "v1") == true;

    /// <summary>
    /// Upstream <c>placeholderSliceCompare</c>: metadata compared by namespace and labels only, the rest
    /// (owner references, address type, ports, endpoints) in full, nil and empty alike.
    /// </summary>
    public static bool PlaceholderEqual(V1EndpointSlice existing, V1EndpointSlice placeholder) =>
        existing.Metadata?.NamespaceProperty == placeholder.Metadata?.NamespaceProperty
        && ObjectCopy.MapsEqual(existing.Metadata?.Labels, placeholder.Metadata?.Labels)
        && Render(existing.Metadata?.OwnerReferences) == Render(placeholder.Metadata?.OwnerReferences)
        && existing.AddressType == placeholder.AddressType
        && (existing.Ports?.Count ?? 0) == 0
        && (existing.Endpoints?.Count ?? 0) == 0;

    private static string Render(object? value) => value is null ? "null" : CanonicalJson.Render(value);
}
