namespace Berth.Agnhost.Http;

internal static class HeaderNames
{
    /// <summary>
    /// Go's <c>textproto.CanonicalMIMEHeaderKey</c>: <c>x-forwarded-for</c> → <c>X-Forwarded-For</c>; a name with a
    /// character outside the token set is returned unchanged.
    /// </summary>
    public static string Canonical(string name)
    {
        foreach (var c in name)
        {
            if (!IsTokenChar(c))
            {
                return name;
            }
        }

        return string.Create(name.Length, name, static (span, source) =>
        {
            var upper = true;
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
                upper = c == '-';
            }
        });
    }

    public static bool IsTokenChar(char c) =>
        c is > ' ' and < '\x7f' and not ('(' or ')' or '<' or '>' or '@' or ',' or ';' or ':' or '\\' or '"' or '/' or '[' or ']' or '?' or '=' or '{' or '}');
}
