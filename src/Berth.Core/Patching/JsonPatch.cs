using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Core.Patching;

/// <summary>
/// JSON patch, RFC 6902 (<c>application/json-patch+json</c>): add, remove, replace, move, copy and test, with
/// RFC 6901 pointers (<c>~0</c>, <c>~1</c>) and the <c>-</c> array index. Operations apply in order to a copy
/// of the document; the first failure stops the patch and nothing is applied.
/// </summary>
/// <remarks>
/// A malformed patch (not an array, a missing or unknown <c>op</c>, a missing <c>path</c>/<c>from</c>/<c>value</c>,
/// a bad pointer) is <see cref="PatchErrorKind.BadRequest"/>; an operation that does not apply to this document
/// (missing path, index out of range, failed test) is <see cref="PatchErrorKind.Invalid"/>. Behaviour follows
/// gopkg.in/evanphx/json-patch.v4 (v4.12.0), which the Kubernetes API server uses, where it departs from the RFC:
/// <c>replace</c> of an absent object member adds it. The messages of <c>replace</c> and <c>remove</c> are v4.12.0's.
/// </remarks>
public static class JsonPatch
{
    /// <summary>Applies the operations in <paramref name="patch"/> to a copy of <paramref name="original"/>.</summary>
    public static JsonNode? Apply(JsonNode? original, JsonNode patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        if (patch is not JsonArray operations)
        {
            throw new PatchException($"json patch must be a JSON array of operations, got {Describe(patch)}");
        }

        var doc = original?.DeepClone();
        for (var i = 0; i < operations.Count; i++)
        {
            doc = ApplyOperation(doc, operations[i], i);
        }

        return doc;
    }

    private static JsonNode? ApplyOperation(JsonNode? doc, JsonNode? operation, int index)
    {
        if (operation is not JsonObject op)
        {
            throw new PatchException($"json patch operation {index} must be a JSON object, got {Describe(operation)}");
        }

        var name = RequiredString(op, "op", index);
        var path = JsonPointer.Parse(RequiredString(op, "path", index));
        switch (name)
        {
            case "add":
                return Add(doc, path, RequiredValue(op, name, index), name);
            case "remove":
                Remove(doc, path, name);
                return doc;
            case "replace":
                return Replace(doc, path, RequiredValue(op, name, index));
            case "move":
                return Move(doc, JsonPointer.Parse(RequiredString(op, "from", index)), path);
            case "copy":
                return Copy(doc, JsonPointer.Parse(RequiredString(op, "from", index)), path);
            case "test":
                Test(doc, path, RequiredValue(op, name, index));
                return doc;
            default:
                throw new PatchException($"json patch operation {index} has unknown op \"{name}\"");
        }
    }

    private static JsonNode? Add(JsonNode? doc, JsonPointer path, JsonNode? value, string opName)
    {
        if (path.IsRoot)
        {
            return value;
        }

        switch (Parent(doc, path, opName))
        {
            case JsonObject parent:
                parent[path.Last] = value;
                break;
            case JsonArray parent:
                var i = path.Last == "-" ? parent.Count : Index(path, parent.Count + 1, opName);
                parent.Insert(i, value);
                break;
        }

        return doc;
    }

    private static JsonNode? Remove(JsonNode? doc, JsonPointer path, string opName)
    {
        if (path.IsRoot)
        {
            throw PatchException.Invalid($"jsonpatch {opName} operation does not apply: cannot remove the whole document");
        }

        switch (Parent(doc, path, opName))
        {
            case JsonObject parent:
                // evanphx/json-patch v4 partialDoc.remove, wrapped by Patch.remove.
                if (!parent.TryGetPropertyValue(path.Last, out var removed))
                {
                    throw PatchException.Invalid($"error in {opName} for path: '{path.Text}': Unable to remove nonexistent key: {path.Last}: missing value");
                }

                parent.Remove(path.Last);
                return removed;
            case JsonArray parent:
                var i = Index(path, parent.Count, opName);
                var item = parent[i];
                parent.RemoveAt(i);
                return item;
            default:
                throw Missing(opName, path);
        }
    }

    /// <remarks>
    /// Kubernetes applies JSON patches with gopkg.in/evanphx/json-patch.v4 (v4.12.0), whose <c>replace</c> checks the
    /// target with <c>container.get</c>: an object's <c>get</c> never fails, so replacing an absent member adds it
    /// (the C# client's cordon replaces <c>/spec/unschedulable</c> on Nodes that lack it); an array's <c>get</c> fails
    /// for an index that is not there, so that stays an error. A missing parent is an error in both.
    /// </remarks>
    private static JsonNode? Replace(JsonNode? doc, JsonPointer path, JsonNode? value)
    {
        if (path.IsRoot)
        {
            return value;
        }

        if (!TryParent(doc, path, out var parent))
        {
            throw PatchException.Invalid($"replace operation does not apply: doc is missing path: {path.Text}: missing value");
        }

        switch (parent)
        {
            case JsonObject obj:
                obj[path.Last] = value;
                break;
            case JsonArray array:
                if (!TryParseIndex(path.Last, out var i) || i >= array.Count)
                {
                    throw PatchException.Invalid($"replace operation does not apply: doc is missing key: {path.Text}: missing value");
                }

                array[i] = value;
                break;
        }

        return doc;
    }

    private static JsonNode? Move(JsonNode? doc, JsonPointer from, JsonPointer path)
    {
        if (path.IsInside(from))
        {
            throw new PatchException($"jsonpatch move operation does not apply: \"{from.Text}\" cannot be moved into its own child \"{path.Text}\"");
        }

        if (!TryGet(doc, from, out _))
        {
            throw Missing("move", from);
        }

        if (from.Text == path.Text)
        {
            return doc;
        }

        // A root "from" is always caught above: every other path is inside it.
        var value = Remove(doc, from, "move");
        return Add(doc, path, value?.DeepClone(), "move");
    }

    private static JsonNode? Copy(JsonNode? doc, JsonPointer from, JsonPointer path)
    {
        if (!TryGet(doc, from, out var value))
        {
            throw Missing("copy", from);
        }

        return Add(doc, path, value?.DeepClone(), "copy");
    }

    private static void Test(JsonNode? doc, JsonPointer path, JsonNode? expected)
    {
        if (!TryGet(doc, path, out var actual))
        {
            throw PatchException.Invalid($"testing value {path.Text} failed: doc is missing path: \"{path.Text}\"");
        }

        if (!JsonNode.DeepEquals(actual, expected))
        {
            throw PatchException.Invalid($"testing value {path.Text} failed: test failed");
        }
    }

    /// <summary>The object or array that holds the last token of <paramref name="path"/>.</summary>
    private static JsonNode Parent(JsonNode? doc, JsonPointer path, string opName) =>
        TryParent(doc, path, out var parent) ? parent : throw Missing(opName, path);

    private static bool TryParent(JsonNode? doc, JsonPointer path, out JsonNode parent)
    {
        parent = null!;
        var node = doc;
        for (var t = 0; t < path.Tokens.Count - 1; t++)
        {
            if (!TryStep(node, path.Tokens[t], out node))
            {
                return false;
            }
        }

        if (node is JsonObject or JsonArray)
        {
            parent = node;
            return true;
        }

        return false;
    }

    private static bool TryGet(JsonNode? doc, JsonPointer path, out JsonNode? value)
    {
        value = doc;
        foreach (var token in path.Tokens)
        {
            if (!TryStep(value, token, out value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryStep(JsonNode? node, string token, out JsonNode? child)
    {
        child = null;
        switch (node)
        {
            case JsonObject obj:
                return obj.TryGetPropertyValue(token, out child);
            case JsonArray array when TryParseIndex(token, out var i) && i < array.Count:
                child = array[i];
                return true;
            default:
                return false;
        }
    }

    private static int Index(JsonPointer path, int limit, string opName)
    {
        if (!TryParseIndex(path.Last, out var i))
        {
            throw Missing(opName, path);
        }

        return i < limit
            ? i
            : throw PatchException.Invalid($"jsonpatch {opName} operation does not apply: index out of range: \"{path.Text}\"");
    }

    // RFC 6901: an array index is "0" or digits without a leading zero.
    private static bool TryParseIndex(string token, out int index)
    {
        index = -1;
        return token.Length > 0
            && token.All(char.IsAsciiDigit)
            && (token.Length == 1 || token[0] != '0')
            && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    private static PatchException Missing(string opName, JsonPointer path) =>
        PatchException.Invalid($"jsonpatch {opName} operation does not apply: doc is missing path: \"{path.Text}\"");

    private static string RequiredString(JsonObject op, string member, int index)
    {
        if (op.TryGetPropertyValue(member, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return text;
        }

        throw new PatchException($"json patch operation {index} is missing the string member \"{member}\"");
    }

    private static JsonNode? RequiredValue(JsonObject op, string opName, int index) =>
        op.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw new PatchException($"json patch operation {index} ({opName}) is missing \"value\"");

    private static string Describe(JsonNode? node) => node?.GetValueKind() switch
    {
        null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        var kind => kind.ToString()!.ToLowerInvariant(),
    };
}
