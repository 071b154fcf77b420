using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Serialization;

namespace Berth.Core.Patching;

/// <summary>
/// Server-side apply bodies (<c>application/apply-patch+yaml</c>): kubectl <c>apply --server-side</c> sends JSON,
/// other clients may send YAML.
/// </summary>
/// <remarks>
/// Berth does not track field ownership yet (no <c>managedFields</c>, no conflicts, <c>force</c> is ignored): it
/// applies the configuration as a strategic merge patch onto the live object. Fields the configuration leaves
/// out are therefore kept rather than removed, lists with a merge key merge on it, and other lists are replaced.
/// </remarks>
public static class ApplyPatch
{
    /// <summary>Parses an apply body, JSON or a single YAML document, into a JSON object.</summary>
    /// <exception cref="PatchException">The body is malformed, or breaks a YAML limit go-yaml also has (400).</exception>
    /// <exception cref="Errors.StatusException">The body builds more than <paramref name="limits"/> allow (413).</exception>
    public static JsonObject Parse(string body, DecodeLimits? limits = null) =>
        ParseDocument(body, limits) as JsonObject ?? throw new PatchException("the apply patch must be an object (a YAML mapping or a JSON object)");

    /// <summary>
    /// Parses a request body sent as YAML (<c>application/yaml</c>, <c>application/apply-patch+yaml</c>): JSON, which
    /// is YAML too, or one YAML document. Any JSON value may come back; the caller checks its shape.
    /// </summary>
    /// <inheritdoc cref="Parse" path="/exception"/>
    public static JsonNode? ParseDocument(string body, DecodeLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        limits ??= DecodeLimits.Default;
        var trimmed = body.AsSpan().TrimStart();
        if (trimmed.Length > 0 && trimmed[0] is '{' or '[')
        {
            try
            {
                return JsonBody.Parse(Encoding.UTF8.GetBytes(body), limits);
            }
            catch (JsonException e)
            {
                throw new PatchException($"error decoding the apply patch as JSON: {e.Message}", e);
            }
        }

        return YamlJson.Parse(body, limits);
    }

    /// <summary>
    /// Applies the parsed configuration onto the live object, or returns a copy of it when there is no live
    /// object yet (apply creates). See the remarks for what Berth leaves out of server-side apply.
    /// </summary>
    public static JsonObject Apply(JsonNode? live, JsonObject configuration, Type modelType)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(modelType);
        return StrategicMergePatch.Apply(live ?? new JsonObject(), configuration, modelType);
    }
}
