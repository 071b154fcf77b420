namespace Berth.Core.Patching;

/// <summary>A parsed RFC 6901 JSON pointer: <c>""</c> is the whole document, <c>~1</c> is '/', <c>~0</c> is '~'.</summary>
internal sealed record JsonPointer(string Text, IReadOnlyList<string> Tokens)
{
    public bool IsRoot => Tokens.Count == 0;

    public string Last => Tokens[^1];

    public static JsonPointer Parse(string text)
    {
        if (text.Length == 0)
        {
            return new JsonPointer(text, []);
        }

        if (text[0] != '/')
        {
            throw new PatchException($"invalid JSON pointer \"{text}\": must be empty or start with '/'");
        }

        var tokens = text[1..].Split('/');
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = Unescape(text, tokens[i]);
        }

        return new JsonPointer(text, tokens);
    }

    /// <summary>True when this pointer names a member strictly inside <paramref name="other"/>.</summary>
    public bool IsInside(JsonPointer other) =>
        Tokens.Count > other.Tokens.Count && other.Tokens.Select((t, i) => t == Tokens[i]).All(same => same);

    private static string Unescape(string text, string token)
    {
        if (!token.Contains('~', StringComparison.Ordinal))
        {
            return token;
        }

        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '~' && (i + 1 == token.Length || (token[i + 1] != '0' && token[i + 1] != '1')))
            {
                throw new PatchException($"invalid JSON pointer \"{text}\": '~' must be followed by '0' or '1'");
            }
        }

        // ~1 first, then ~0: "~01" is the token "~1" (RFC 6901 section 4).
        return token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }
}
