using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Errors;

namespace Berth.Core.Serialization;

/// <summary>
/// Parses a JSON request body within <see cref="DecodeLimits"/>: one pass of <see cref="Utf8JsonReader"/> (no
/// allocation) checks nesting and counts values before anything is built, then the body becomes a
/// <see cref="JsonNode"/>. Duplicate member names are refused, as Kubernetes' strict decoding does.
/// </summary>
public static class JsonBody
{
    /// <exception cref="JsonException">The body is not JSON, or nests deeper than the limit ("exceeded max depth of N").</exception>
    /// <exception cref="StatusException">413: the body holds more values than the limit.</exception>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8, DecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var maxDepth = Math.Max(limits.MaxDepth, 1);
        Check(utf8, limits, maxDepth);
        return JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = maxDepth });
    }

    /// <summary>The 413 for a body that decodes to more values than <see cref="DecodeLimits.MaxNodes"/>.</summary>
    public static StatusException TooManyValues(DecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return StatusErrors.RequestEntityTooLarge($"limit is {limits.MaxNodes.ToString(CultureInfo.InvariantCulture)} values in one body");
    }

    private static void Check(ReadOnlySpan<byte> utf8, DecodeLimits limits, int maxDepth)
    {
        // The reader's own limit is one above ours so that ours is the one reported, in Kubernetes' words.
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        long values = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    if (reader.CurrentDepth >= maxDepth)
                    {
                        throw new JsonException($"exceeded max depth of {maxDepth.ToString(CultureInfo.InvariantCulture)}");
                    }

                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.PropertyName or JsonTokenType.Comment:
                    continue;
                default:
                    break;
            }

            if (++values > limits.MaxNodes)
            {
                throw TooManyValues(limits);
            }
        }
    }
}
