using System.Text;

namespace Berth.Agnhost.Http;

/// <summary>Go's <c>url.ParseQuery</c> and <c>url.PathUnescape</c>, as agnhost's form values come from them.</summary>
internal static class QueryString
{
    /// <summary>Pairs in order; a pair with a bad escape or a semicolon is skipped, as Go skips it.</summary>
    public static List<KeyValuePair<string, string>> Parse(string query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0 || part.Contains(';', StringComparison.Ordinal))
            {
                continue;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var rawKey = eq < 0 ? part : part[..eq];
            var rawValue = eq < 0 ? string.Empty : part[(eq + 1)..];
            if (TryUnescape(rawKey, plusIsSpace: true, out var key) && TryUnescape(rawValue, plusIsSpace: true, out var value))
            {
                pairs.Add(new(key, value));
            }
        }

        return pairs;
    }

    public static bool TryUnescape(string text, bool plusIsSpace, out string result)
    {
        if (!text.Contains('%', StringComparison.Ordinal) && !(plusIsSpace && text.Contains('+', StringComparison.Ordinal)))
        {
            result = text;
            return true;
        }

        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !Uri.IsHexDigit(text[i + 1]) || !Uri.IsHexDigit(text[i + 2]))
                {
                    result = string.Empty;
                    return false;
                }

                bytes.Add((byte)((Uri.FromHex(text[i + 1]) << 4) | Uri.FromHex(text[i + 2])));
                i += 2;
            }
            else if (c == '+' && plusIsSpace)
            {
                bytes.Add((byte)' ');
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        result = Encoding.UTF8.GetString([.. bytes]);
        return true;
    }
}
