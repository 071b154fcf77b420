using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Core.Serialization;

/// <summary>
/// Compact JSON text as Go's <c>encoding/json</c> writes it, which is what kube-apiserver's JSON serializer sends
/// (apimachinery runtime/serializer/json: <c>json.NewEncoder(w).Encode(obj)</c>). System.Text.Json escapes differently
/// (<c>"</c> as <c>\u0022</c>, non-ASCII as <c>\uXXXX</c>), and clients that compare error bodies notice.
/// </summary>
/// <remarks>
/// Strings follow encode.go <c>appendString</c> with HTML escaping on (the Encoder's default): <c>\"</c> and <c>\\</c>;
/// <c>\b \f \n \r \t</c>; other control characters and <c>&lt; &gt; &amp;</c> as <c>\u00xx</c> (lower-case hex);
/// U+2028 and U+2029 as <c>\u2028</c>/<c>\u2029</c>; a lone surrogate (invalid UTF-8 in Go) as <c>\ufffd</c>; every
/// other character as itself, in UTF-8. Members keep the node's order.
/// </remarks>
public static class GoJson
{
    private const string Hex = "0123456789abcdef";

    /// <summary>The compact JSON text of <paramref name="node"/>.</summary>
    public static string Serialize(JsonNode? node)
    {
        var sb = new StringBuilder();
        Append(sb, node);
        return sb.ToString();
    }

    /// <summary>What <c>json.Encoder.Encode</c> writes: the compact text and a newline, in UTF-8.</summary>
    public static byte[] Encode(JsonNode? node) => Encoding.UTF8.GetBytes(Serialize(node) + "\n");

    private static void Append(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (name, value) in obj)
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    AppendString(sb, name);
                    sb.Append(':');
                    Append(sb, value);
                }

                sb.Append('}');
                break;
            case JsonArray array:
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Append(sb, array[i]);
                }

                sb.Append(']');
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                AppendString(sb, value.GetValue<string>());
                break;
            default:
                // Numbers, true and false are written alike by both.
                sb.Append(node.ToJsonString());
                break;
        }
    }

    private static void AppendString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case < ' ' or '<' or '>' or '&':
                    sb.Append("\\u00").Append(Hex[c >> 4]).Append(Hex[c & 0xF]);
                    break;
                case '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        sb.Append(c).Append(s[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        sb.Append("\\ufffd");
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
