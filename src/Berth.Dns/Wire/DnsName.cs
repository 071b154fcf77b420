using System.Text;

namespace Berth.Dns.Wire;

/// <summary>
/// Domain names in the two forms the server uses: wire format (length-prefixed labels) and the lower-case dotted text
/// without a trailing dot that the zone index is keyed by (<c>web.default.svc.cluster.local</c>; the root is "").
/// </summary>
internal static class DnsName
{
    /// <summary>Longest dotted text of a name that fits in 255 wire bytes.</summary>
    public const int MaxTextLength = 254;

    /// <summary>Stands in for a byte no cluster name can contain (a dot inside a label, a space, a control byte).</summary>
    public const char Foreign = '?';

    /// <summary>
    /// Writes the lower-case dotted text of the uncompressed wire name <paramref name="wire"/> into
    /// <paramref name="text"/> (at least <see cref="MaxTextLength"/> long) and returns its length. Bytes other than
    /// letters, digits, '-', '_' and '*' become <see cref="Foreign"/>, so such a name never matches a key and a dot
    /// inside a label can never pass for a label boundary (RFC 4343: only ASCII letters fold).
    /// </summary>
    public static int ToLowerText(ReadOnlySpan<byte> wire, Span<char> text)
    {
        var written = 0;
        var at = 0;
        while (true)
        {
            int label = wire[at++];
            if (label == 0)
            {
                return written;
            }

            if (written > 0)
            {
                text[written++] = '.';
            }

            for (var end = at + label; at < end; at++)
            {
                var b = wire[at];
                text[written++] = b switch
                {
                    >= (byte)'A' and <= (byte)'Z' => (char)(b | 0x20),
                    >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'*' => (char)b,
                    _ => Foreign,
                };
            }
        }
    }

    /// <summary>The wire form of a dotted name (a trailing dot is allowed; "" and "." are the root).</summary>
    public static byte[] Encode(string name)
    {
        var buffer = new byte[WireLength(name)];
        Write(name, buffer);
        return buffer;
    }

    /// <summary>Writes the wire form of <paramref name="name"/> into <paramref name="destination"/>; returns its length.</summary>
    public static int Write(string name, Span<byte> destination)
    {
        var at = 0;
        foreach (var label in Labels(name))
        {
            var length = Encoding.ASCII.GetBytes(label, destination[(at + 1)..]);
            destination[at] = (byte)length;
            at += 1 + length;
        }

        destination[at] = 0;
        return at + 1;
    }

    /// <summary>The wire length of a dotted name.</summary>
    public static int WireLength(string name)
    {
        var length = 1;
        foreach (var label in Labels(name))
        {
            length += 1 + label.Length;
        }

        return length;
    }

    /// <summary>The labels of a dotted name, left to right.</summary>
    public static string[] Labels(string name)
    {
        var trimmed = name.TrimEnd('.');
        return trimmed.Length == 0 ? [] : trimmed.Split('.');
    }

    /// <summary>Whether <paramref name="name"/> is <paramref name="zone"/> or below it (both lower-case dotted text).</summary>
    public static bool IsAtOrBelow(ReadOnlySpan<char> name, string zone) =>
        zone.Length == 0
        || (name.EndsWith(zone, StringComparison.Ordinal) && (name.Length == zone.Length || name[name.Length - zone.Length - 1] == '.'));

    /// <summary>Whether <paramref name="name"/> is a valid host name for the wire: labels of 1–63 bytes, at most 255 in all.</summary>
    public static bool IsValid(string name)
    {
        var labels = Labels(name);
        return WireLength(name) <= 255 && labels.All(l => l.Length is > 0 and <= 63 && l.All(char.IsAscii));
    }
}
