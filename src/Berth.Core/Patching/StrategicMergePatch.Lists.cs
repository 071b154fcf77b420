using System.Text.Json.Nodes;

namespace Berth.Core.Patching;

public static partial class StrategicMergePatch
{
    /// <summary>
    /// Every <c>$setElementOrder/&lt;field&gt;</c> of the patch: merges the field's list (when the patch has it) and
    /// then orders the result: listed items in the listed order, the other live items woven in by their live
    /// order (apimachinery mergePatchIntoOriginal). Returns the fields it consumed.
    /// </summary>
    private static HashSet<string> MergeOrderedLists(JsonObject original, JsonObject patch, Type? type)
    {
        var handled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, orderNode) in patch)
        {
            if (!key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var field = FieldOf(key, SetElementOrderPrefix);
            if (orderNode is not JsonArray order)
            {
                throw new PatchException($"invalid patch format of setElementOrder list: {key} must be a list");
            }

            var originalList = ListOrNull(original, field, "the object");
            var patchList = ListOrNull(patch, field, "the patch");
            var meta = StrategicMergeSchema.Lookup(type, field);
            ValidateOrder(patchList, order, meta.MergeKey);

            var serverOrder = originalList is null ? [] : Keys(originalList, meta.MergeKey, required: false);
            JsonArray merged;
            if (originalList is not null && patchList is not null && meta.MergesList)
            {
                var elementType = StrategicMergeSchema.ElementType(StrategicMergeSchema.MemberType(type, field));
                merged = MergeList(originalList, patchList, elementType, meta.MergeKey, out serverOrder);
            }
            else if (patchList is not null)
            {
                merged = CleanList(patchList);
            }
            else if (originalList is not null)
            {
                merged = originalList;
            }
            else
            {
                continue;
            }

            var items = Detach(merged);
            var orderKeys = Keys(order, meta.MergeKey);
            var inOrder = items.Where(i => IndexOf(orderKeys, Key(i, meta.MergeKey)) >= 0).ToList();
            var serverOnly = items.Where(i => IndexOf(orderKeys, Key(i, meta.MergeKey)) < 0).ToList();
            original[field] = new JsonArray([.. Normalize(inOrder, serverOnly, orderKeys, serverOrder, meta.MergeKey)]);
            if (patchList is not null)
            {
                handled.Add(field);
            }
        }

        return handled;
    }

    /// <summary>
    /// Merges a list with <c>patchStrategy:"merge"</c> (apimachinery mergeSlice): items with a merge key merge on
    /// it, primitives are unioned; <c>{"$patch":"delete", key: v}</c> removes, <c>{"$patch":"replace"}</c>
    /// replaces the whole list with the other items. Returns a new array; <paramref name="original"/> is emptied.
    /// </summary>
    private static JsonArray MergeList(JsonArray original, JsonArray patch, Type? elementType, string? mergeKey) =>
        MergeList(original, patch, elementType, mergeKey, out _);

    /// <param name="liveOrder">
    /// The live order that apimachinery's $setElementOrder pass sees afterwards. Go deletes and appends in place
    /// on the live slice, so that pass sees the surviving items followed by as many appended items as were
    /// deleted (then stale entries). Reproducing it keeps kubectl apply results identical, e.g. the
    /// strategicpatch test "add map and delete map from merging list".
    /// </param>
    private static JsonArray MergeList(
        JsonArray original, JsonArray patch, Type? elementType, string? mergeKey, out List<JsonNode?> liveOrder)
    {
        var originalKeys = Keys(original, mergeKey, required: false);
        liveOrder = [.. originalKeys];
        var liveLength = liveOrder.Count;
        var items = Detach(original);
        var patchItems = new List<JsonNode?>();
        var replace = false;
        foreach (var item in patch)
        {
            if (item is not JsonObject obj || !obj.TryGetPropertyValue(PatchDirective, out var directive))
            {
                patchItems.Add(item);
                continue;
            }

            switch (DirectiveName(directive))
            {
                case "replace":
                    replace = true;
                    break;
                case "delete" when mergeKey is not null:
                    var value = MergeKeyValue(obj, mergeKey);
                    for (var at = items.FindIndex(i => JsonNode.DeepEquals(Key(i, mergeKey), value)); at >= 0;
                         at = items.FindIndex(i => JsonNode.DeepEquals(Key(i, mergeKey), value)))
                    {
                        // append(s[:at], s[at+1:]...): the tail shifts left, the old last slot keeps its value.
                        var last = liveOrder[liveLength - 1];
                        items.RemoveAt(at);
                        liveOrder.RemoveAt(at);
                        liveOrder.Insert(liveLength - 1, last);
                        liveLength--;
                    }

                    break;
                case "delete":
                    throw new PatchException($"$patch: delete needs a merge key, but this list has none: {obj.ToJsonString()}");
                case "merge":
                    throw new PatchException("merging lists cannot yet be specified in the patch");
                case var other:
                    throw new PatchException($"unknown patch type: {other} in list item: {obj.ToJsonString()}");
            }
        }

        if (replace)
        {
            return CleanList(new JsonArray([.. patchItems.Select(i => i?.DeepClone())]));
        }

        CheckElementKinds(items, patchItems);
        var isMapList = items.Concat(patchItems).Any(i => i is JsonObject);
        if (isMapList && mergeKey is null)
        {
            throw new PatchException("cannot merge lists without merge key");
        }

        foreach (var item in patchItems)
        {
            if (isMapList)
            {
                var patchItem = item as JsonObject ?? throw new PatchException($"expected a map in a list merged on \"{mergeKey}\", got null");
                var value = MergeKeyValue(patchItem, mergeKey!);
                var index = items.FindIndex(i => JsonNode.DeepEquals(Key(i, mergeKey), value));
                if (index >= 0)
                {
                    items[index] = MergeMap((JsonObject)items[index]!, patchItem, elementType);
                }
                else
                {
                    items.Add(CleanMapValue(patchItem));
                    if (liveLength < liveOrder.Count)
                    {
                        liveOrder[liveLength++] = value?.DeepClone();
                    }
                }
            }
            else if (!items.Any(i => JsonNode.DeepEquals(i, item)))
            {
                items.Add(item?.DeepClone());
            }
        }

        if (!isMapList)
        {
            items = Deduplicate(items);
        }

        var patchKeys = Keys(patchItems, mergeKey);
        var inPatch = items.Where(i => IndexOf(patchKeys, Key(i, mergeKey)) >= 0).ToList();
        var serverOnly = items.Where(i => IndexOf(patchKeys, Key(i, mergeKey)) < 0).ToList();
        return new JsonArray([.. Normalize(inPatch, serverOnly, patchKeys, originalKeys, mergeKey)]);
    }

    /// <summary>
    /// apimachinery normalizeElementOrder + mergeSortedSlice: patch items sorted by the patch order, server-only
    /// items by the live order, then each server-only item is woven in before the first patch item that comes
    /// after it in the live order.
    /// </summary>
    private static List<JsonNode?> Normalize(
        List<JsonNode?> patchItems,
        List<JsonNode?> serverOnly,
        IReadOnlyList<JsonNode?> patchOrder,
        IReadOnlyList<JsonNode?> serverOrder,
        string? mergeKey)
    {
        var right = SortBy(patchItems, patchOrder, mergeKey);
        var left = SortBy(serverOnly, serverOrder, mergeKey);
        var result = new List<JsonNode?>(left.Count + right.Count);
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            if (j >= right.Count)
            {
                result.Add(left[i++]);
            }
            else if (i >= left.Count)
            {
                result.Add(right[j++]);
            }
            else
            {
                var li = IndexOf(serverOrder, Key(left[i], mergeKey));
                var ri = IndexOf(serverOrder, Key(right[j], mergeKey));
                result.Add(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
            }
        }

        return result;
    }

    private static List<JsonNode?> SortBy(List<JsonNode?> items, IReadOnlyList<JsonNode?> order, string? mergeKey) =>
        [.. items
            .Select((item, position) => (item, position, rank: IndexOf(order, Key(item, mergeKey)) is var r and >= 0 ? r : int.MaxValue))
            .OrderBy(x => x.rank)
            .ThenBy(x => x.position)
            .Select(x => x.item)];

    /// <summary>apimachinery validatePatchWithSetOrderList: the patch items must appear in the $setElementOrder order.</summary>
    private static void ValidateOrder(JsonArray? patchList, JsonArray order, string? mergeKey)
    {
        if (patchList is null || patchList.Count == 0 || order.Count == 0)
        {
            return;
        }

        var items = patchList.Where(i => !(i is JsonObject o && o.ContainsKey(PatchDirective))).ToList();
        var orderKeys = Keys(order, mergeKey);
        int p = 0, s = 0;
        while (p < items.Count && s < orderKeys.Count)
        {
            if (JsonNode.DeepEquals(Key(items[p], mergeKey, required: true), orderKeys[s]))
            {
                p++;
            }

            s++;
        }

        if (p < items.Count)
        {
            throw new PatchException(
                $"invalid patch format of setElementOrder list: the order in patch list {patchList.ToJsonString()} doesn't match {SetElementOrderPrefix} list {order.ToJsonString()}");
        }
    }

    private static void CheckElementKinds(List<JsonNode?> items, List<JsonNode?> patchItems)
    {
        var all = items.Concat(patchItems).Where(i => i is not null).ToList();
        if (all.Any(i => i is JsonArray))
        {
            throw new PatchException("lists of lists are not supported");
        }

        if (all.Any(i => i is JsonObject) && !all.All(i => i is JsonObject))
        {
            throw new PatchException("list element types are not identical: a list mixes maps and primitives");
        }
    }

    private static List<JsonNode?> Deduplicate(List<JsonNode?> items)
    {
        var result = new List<JsonNode?>(items.Count);
        foreach (var item in items)
        {
            if (!result.Any(r => JsonNode.DeepEquals(r, item)))
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary>The list at <paramref name="field"/>, or null when it is absent or null.</summary>
    private static JsonArray? ListOrNull(JsonObject obj, string field, string where) =>
        obj.TryGetPropertyValue(field, out var node) switch
        {
            false => null,
            true when node is null => null,
            true when node is JsonArray array => array,
            _ => throw new PatchException($"{SetElementOrderPrefix}{field} applies to a list, but \"{field}\" in {where} is not a list"),
        };

    private static List<JsonNode?> Detach(JsonArray array)
    {
        var items = array.ToList();
        array.Clear();
        return items;
    }

    private static List<JsonNode?> Keys(IEnumerable<JsonNode?> items, string? mergeKey, bool required = true) =>
        [.. items.Select(i => Key(i, mergeKey, required))];

    /// <summary>The merge key value of a map item, or the item itself in a list of primitives.</summary>
    private static JsonNode? Key(JsonNode? item, string? mergeKey, bool required = false)
    {
        if (mergeKey is null)
        {
            return item;
        }

        if (item is JsonObject obj && obj.TryGetPropertyValue(mergeKey, out var value))
        {
            return value;
        }

        return required ? throw NoMergeKey(item, mergeKey) : null;
    }

    private static JsonNode? MergeKeyValue(JsonObject item, string mergeKey) =>
        item.TryGetPropertyValue(mergeKey, out var value) ? value : throw NoMergeKey(item, mergeKey);

    private static PatchException NoMergeKey(JsonNode? item, string mergeKey) =>
        new($"map: {item?.ToJsonString() ?? "null"} does not contain declared merge key: {mergeKey}");

    private static int IndexOf(IReadOnlyList<JsonNode?> keys, JsonNode? key)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (JsonNode.DeepEquals(keys[i], key))
            {
                return i;
            }
        }

        return -1;
    }
}
