using System.Text.Json.Nodes;

namespace Berth.Core.Patching;

/// <summary>
/// JSON merge patch, RFC 7386 (<c>application/merge-patch+json</c>): a patch object merges into the target
/// recursively, <c>null</c> deletes a member, and any other patch value (arrays included) replaces the target.
/// </summary>
public static class MergePatch
{
    /// <summary>Applies <paramref name="patch"/> to <paramref name="original"/>; neither input is changed.</summary>
    /// <returns>The patched document; <c>null</c> only when the patch is the JSON literal <c>null</c>.</returns>
    public static JsonNode? Apply(JsonNode? original, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = original is JsonObject originalObject ? (JsonObject)originalObject.DeepClone() : [];
        Merge(result, patchObject);
        return result;
    }

    // The pseudo code of RFC 7386 section 2, working in place on a copy of the target.
    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject patchChild)
            {
                if (target[name] is not JsonObject targetChild)
                {
                    targetChild = [];
                    target[name] = targetChild;
                }

                Merge(targetChild, patchChild);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }
}
