using k8s.Models;

namespace Berth.Controllers.EndpointSlices;

/// <summary>Everything <see cref="EndpointSlicePlanner"/> needs for one Service; the caller reads it from its caches.</summary>
internal sealed record EndpointSlicePlanInput
{
    public const int DefaultMaxEndpointsPerSlice = 100;

    /// <summary>The Service (with a selector; ExternalName and selector-less Services are not planned).</summary>
    public required V1Service Service { get; init; }

    /// <summary>Pods in the Service's namespace whose labels match its selector; eligibility (§4.1) is applied here.</summary>
    public required IReadOnlyList<V1Pod> Pods { get; init; }

    /// <summary>Known nodes: name → <c>topology.kubernetes.io/zone</c> (null when the node has no zone label).
    /// A pod on a node missing from this map is skipped (unless publishNotReadyAddresses), as upstream does.</summary>
    public required IReadOnlyDictionary<string, string?> NodeZones { get; init; }

    /// <summary>Slices labelled with this Service's name and managed by the EndpointSlice controller.</summary>
    public required IReadOnlyList<V1EndpointSlice> ExistingSlices { get; init; }

    /// <summary><c>--max-endpoints-per-slice</c>, 1..1000.</summary>
    public int MaxEndpointsPerSlice { get; init; } = DefaultMaxEndpointsPerSlice;

    /// <summary>When the change that triggered this sync happened; written as
    /// <c>endpoints.kubernetes.io/last-change-trigger-time</c> on written slices (null removes it).</summary>
    public DateTimeOffset? TriggerTime { get; init; }
}
