using k8s.Models;

namespace Berth.Controllers.EndpointSlices;

/// <summary>
/// The writes that bring a Service's slices to the desired state. <see cref="ToCreate"/> carry generateName;
/// <see cref="ToUpdate"/> are full objects (copies of existing slices, name and resourceVersion kept) to PUT;
/// <see cref="ToDelete"/> are the existing objects. <see cref="SkippedPods"/> names pods left out because their
/// node is unknown: the caller should retry later.
/// </summary>
internal sealed record EndpointSlicePlan(
    IReadOnlyList<V1EndpointSlice> ToCreate,
    IReadOnlyList<V1EndpointSlice> ToUpdate,
    IReadOnlyList<V1EndpointSlice> ToDelete,
    IReadOnlyList<string> SkippedPods)
{
    public static EndpointSlicePlan Empty { get; } = new([], [], [], []);

    public bool IsEmpty => ToCreate.Count == 0 && ToUpdate.Count == 0 && ToDelete.Count == 0;
}
