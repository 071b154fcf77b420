namespace Berth.Core.Patching;

/// <summary>
/// What the Go struct tags <c>patchStrategy</c> and <c>patchMergeKey</c> say about one field.
/// <paramref name="MergeKey"/> is null for a merged list of primitives (<c>finalizers</c>).
/// <paramref name="RetainKeys"/> is documentation only: like apimachinery's strategicpatch, the engine
/// honours a <c>$retainKeys</c> directive wherever the patch carries one.
/// </summary>
internal sealed record FieldPatchMeta(FieldPatchStrategy Strategy, string? MergeKey, bool RetainKeys)
{
    public static readonly FieldPatchMeta None = new(FieldPatchStrategy.Default, null, false);

    public bool MergesList => Strategy == FieldPatchStrategy.Merge;
}
