namespace Berth.Core.Patching;

/// <summary>The <c>patchStrategy</c> struct tag of a field, without <c>retainKeys</c>.</summary>
internal enum FieldPatchStrategy
{
    /// <summary>No tag: maps merge, lists are replaced whole.</summary>
    Default,

    /// <summary><c>merge</c>: a list merges item by item on its merge key, or as a set of primitives.</summary>
    Merge,

    /// <summary><c>replace</c>: the field is replaced whole even when it is a map.</summary>
    Replace,
}
