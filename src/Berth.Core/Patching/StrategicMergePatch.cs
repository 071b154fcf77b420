using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Core.Patching;

/// <summary>
/// Kubernetes strategic merge patch (<c>application/strategic-merge-patch+json</c>), the apply half of
/// apimachinery's pkg/util/strategicpatch/patch.go (<c>StrategicMergeMapPatch</c>, <c>mergeMap</c>,
/// <c>mergeSlice</c>, <c>mergePatchIntoOriginal</c>), with the merge knowledge taken from the KubernetesClient
/// model type (see <see cref="StrategicMergeSchema"/>).
/// </summary>
/// <remarks>
/// Maps merge recursively and <c>null</c> deletes a key. A list tagged <c>patchStrategy:"merge"</c> merges item
/// by item on its merge key (or as a set of primitives); every other list is replaced whole. Directives:
/// <c>$patch: replace|delete</c> on a map or as a list item, <c>$retainKeys</c>, <c>$setElementOrder/&lt;field&gt;</c>
/// and <c>$deleteFromPrimitiveList/&lt;field&gt;</c>. Errors are <see cref="PatchException"/> with
/// <see cref="PatchErrorKind.BadRequest"/>, using apimachinery's messages where it has them.
/// </remarks>
public static partial class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <summary>
    /// Applies <paramref name="patch"/> to <paramref name="original"/>; neither input is changed.
    /// </summary>
    /// <param name="original">The live object as JSON (a JSON object).</param>
    /// <param name="patch">The patch (a JSON object).</param>
    /// <param name="modelType">The KubernetesClient model of the object, e.g. <c>typeof(V1Deployment)</c>.</param>
    public static JsonObject Apply(JsonNode original, JsonNode patch, Type modelType)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(modelType);
        if (original is not JsonObject originalObject)
        {
            throw new ArgumentException("the original object must be a JSON object", nameof(original));
        }

        if (patch is not JsonObject patchObject)
        {
            // apimachinery: mergepatch.ErrBadJSONDoc, a 400.
            throw new PatchException("invalid JSON document: a strategic merge patch must be a JSON object");
        }

        var result = (JsonObject)originalObject.DeepClone();
        return MergeMap(result, patchObject, modelType) ?? [];
    }

    /// <summary>Merges <paramref name="patch"/> into <paramref name="original"/> in place; null means "delete this map".</summary>
    private static JsonObject? MergeMap(JsonObject original, JsonObject patch, Type? type)
    {
        if (patch.TryGetPropertyValue(PatchDirective, out var directive))
        {
            return MapDirective(directive, patch);
        }

        ApplyRetainKeys(original, patch);
        var handled = MergeOrderedLists(original, patch, type);
        foreach (var (key, patchValue) in patch)
        {
            if (handled.Contains(key) || IsDirectiveKey(key))
            {
                continue;
            }

            if (patchValue is null)
            {
                original.Remove(key);
                continue;
            }

            original.TryGetPropertyValue(key, out var originalValue);
            var merged = (originalValue, patchValue) switch
            {
                (JsonObject o, JsonObject p) => MergeMapField(o, p, type, key),
                (JsonArray o, JsonArray p) => MergeListField(o, p, type, key),
                _ => CleanMapValue(patchValue),
            };
            if (merged is null)
            {
                original.Remove(key);
            }
            else if (!ReferenceEquals(merged, originalValue))
            {
                original[key] = merged;
            }
        }

        foreach (var (key, patchValue) in patch)
        {
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                DeleteFromPrimitiveList(original, FieldOf(key, DeleteFromPrimitiveListPrefix), patchValue);
            }
        }

        return original;
    }

    private static JsonObject? MapDirective(JsonNode? directive, JsonObject patch) =>
        DirectiveName(directive) switch
        {
            // apimachinery returns the patch map as it is; nested directives are dropped here as for a new value.
            "replace" => (JsonObject?)CleanMapValue(Without(patch, PatchDirective)),
            "delete" => null,
            var other => throw new PatchException($"unknown patch type: {other} in map: {patch.ToJsonString()}"),
        };

    private static JsonNode? MergeMapField(JsonObject original, JsonObject patch, Type? type, string key)
    {
        if (StrategicMergeSchema.Lookup(type, key).Strategy == FieldPatchStrategy.Replace)
        {
            return CleanMapValue(patch);
        }

        return MergeMap(original, patch, StrategicMergeSchema.MemberType(type, key));
    }

    private static JsonNode MergeListField(JsonArray original, JsonArray patch, Type? type, string key)
    {
        var meta = StrategicMergeSchema.Lookup(type, key);
        if (!meta.MergesList)
        {
            return CleanList(patch);
        }

        var elementType = StrategicMergeSchema.ElementType(StrategicMergeSchema.MemberType(type, key));
        return MergeList(original, patch, elementType, meta.MergeKey);
    }

    /// <summary>
    /// <c>$retainKeys</c>: every non-null key of the patch must be listed, and the keys of the original that are
    /// not listed are dropped (apimachinery applyRetainKeysDirective).
    /// </summary>
    private static void ApplyRetainKeys(JsonObject original, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(RetainKeysDirective, out var retainNode))
        {
            return;
        }

        if (retainNode is not JsonArray retainList || !retainList.All(k => k is JsonValue v && v.GetValueKind() == JsonValueKind.String))
        {
            throw new PatchException("invalid patch format of retainKeys: $retainKeys must be a list of strings");
        }

        var retain = retainList.Select(k => k!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (value is not null && !IsDirectiveKey(key) && !retain.Contains(key))
            {
                throw new PatchException($"invalid patch format of retainKeys: key \"{key}\" is in the patch but not in $retainKeys");
            }
        }

        foreach (var key in original.Select(p => p.Key).Where(k => !retain.Contains(k)).ToList())
        {
            original.Remove(key);
        }
    }

    private static void DeleteFromPrimitiveList(JsonObject original, string field, JsonNode? toDelete)
    {
        if (toDelete is not JsonArray deleteList)
        {
            throw new PatchException($"invalid patch format of primitive list: {DeleteFromPrimitiveListPrefix}{field} must be a list");
        }

        if (original[field] is JsonArray list)
        {
            foreach (var item in list.Where(i => deleteList.Any(d => JsonNode.DeepEquals(d, i))).ToList())
            {
                list.Remove(item);
            }
        }
    }

    /// <summary>
    /// A patch value taken as it is (the original has no such key, or a different kind of value): directives
    /// are dropped and so are null members (apimachinery removeDirectives and discardNullValuesFromPatch).
    /// A map with <c>$patch: replace</c> keeps its other keys; with <c>$patch: delete</c> it is dropped (null).
    /// </summary>
    private static JsonNode? CleanMapValue(JsonNode? value)
    {
        switch (value)
        {
            case JsonObject obj when obj.TryGetPropertyValue(PatchDirective, out var directive):
                return MapDirective(directive, obj);
            case JsonObject obj:
                var clean = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    if (child is not null && !IsDirectiveKey(key) && CleanMapValue(child) is { } cleanChild)
                    {
                        clean[key] = cleanChild;
                    }
                }

                return clean;
            case JsonArray array:
                return CleanList(array);
            default:
                return value?.DeepClone();
        }
    }

    /// <summary>A list taken as it is: items that carry <c>$patch</c> are directives, not items, and are dropped.</summary>
    private static JsonArray CleanList(JsonArray list)
    {
        var clean = new JsonArray();
        foreach (var item in list)
        {
            if (item is JsonObject obj && obj.ContainsKey(PatchDirective))
            {
                continue;
            }

            clean.Add(item is null ? null : CleanMapValue(item));
        }

        return clean;
    }

    private static bool IsDirectiveKey(string key) =>
        key == PatchDirective
        || key == RetainKeysDirective
        || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)
        || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal);

    private static string FieldOf(string key, string prefix) =>
        key.Length > prefix.Length
            ? key[prefix.Length..]
            : throw new PatchException($"invalid patch format: \"{key}\" names no field");

    private static string DirectiveName(JsonNode? directive) =>
        directive is JsonValue value && value.TryGetValue<string>(out var name) ? name : directive?.ToJsonString() ?? "null";

    private static JsonObject Without(JsonObject obj, string key)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in obj)
        {
            if (k != key)
            {
                copy[k] = v?.DeepClone();
            }
        }

        return copy;
    }
}
