using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.ApiServer.Rest;

/// <summary>
/// Puts <c>metadata.resourceVersion</c> into stored JSON (which never holds it) without decoding the object: the
/// top-level <c>metadata</c> object is found with a forward-only reader and the field is spliced in after its brace.
/// Lists and watch events are served this way, so an unfiltered list never deserializes an object.
/// </summary>
internal static class ResourceVersionJson
{
    private static readonly byte[] _metadata = "metadata"u8.ToArray();

    public static byte[] Inject(ReadOnlySpan<byte> json, long revision)
    {
        var field = Encoding.UTF8.GetBytes("\"resourceVersion\":\"" + revision.ToString(CultureInfo.InvariantCulture) + "\"");
        var at = MetadataBodyStart(json, out var empty);
        if (at < 0)
        {
            // No metadata object at all (never the case for stored objects): add one at the top.
            var wrapped = new ArrayBufferWriter<byte>(json.Length + field.Length + 16);
            wrapped.Write("{\"metadata\":{"u8);
            wrapped.Write(field);
            wrapped.Write(json.Length > 2 ? "},"u8 : "}"u8);
            wrapped.Write(json[1..]);
            return wrapped.WrittenSpan.ToArray();
        }

        var result = new byte[json.Length + field.Length + (empty ? 0 : 1)];
        json[..at].CopyTo(result);
        field.CopyTo(result, at);
        var next = at + field.Length;
        if (!empty)
        {
            result[next++] = (byte)',';
        }

        json[at..].CopyTo(result.AsSpan(next));
        return result;
    }

    /// <summary>The offset just after the <c>{</c> of the top-level metadata object, or -1.</summary>
    private static int MetadataBodyStart(ReadOnlySpan<byte> json, out bool empty)
    {
        empty = false;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return -1;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMetadata = reader.ValueTextEquals(_metadata);
            reader.Read();
            if (isMetadata && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.BytesConsumed;
                reader.Read();
                empty = reader.TokenType == JsonTokenType.EndObject;
                return start;
            }

            reader.Skip();
        }

        return -1;
    }
}
