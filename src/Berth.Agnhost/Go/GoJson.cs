using System.Text;

namespace Berth.Agnhost.Go;

/// <summary>
/// Go's <c>json.Marshal</c> of the maps netexec answers with: keys sorted, HTML-safe escaping (&lt; &gt; &amp; as
/// <c>\u003c</c> …), non-ASCII kept as UTF-8 — so clients comparing bytes see what the real image sends.
/// </summary>
internal static class GoJson
{
    public static string Object(IEnumerable<KeyValuePair<string, string>> members)
    {
        var sb = new StringBuilder("{");
        foreach (var (key, value) in members.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            AppendSeparator(sb);
            AppendString(sb, key);
            sb.Append(':');
            AppendString(sb, value);
        }

        return sb.Append('}').ToString();
    }

    public static string Object(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> members)
    {
        var sb = new StringBuilder("{");
        foreach (var (key, values) in members.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            AppendSeparator(sb);
            AppendString(sb, key);
            sb.Append(":[");
            for (var i = 0; i < values.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }

                AppendString(sb, values[i]);
            }

            sb.Append(']');
        }

        return sb.Append('}').ToString();
    }

    private static void AppendSeparator(StringBuilder sb)
    {
        if (sb.Length > 1)
        {
            sb.Append(',');
        }
    }

    private static void AppendString(StringBuilder sb, string value)
    {
        const string Hex = "0123456789abcdef";
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
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
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(Hex[c >> 12]).Append(Hex[(c >> 8) & 0xF]).Append(Hex[(c >> 4) & 0xF]).Append(Hex[c & 0xF]);
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }
}
