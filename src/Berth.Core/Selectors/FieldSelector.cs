using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Berth.Core.Selectors;

/// <summary>
/// A compiled field selector: an AND of <c>field=value</c>, <c>field==value</c> and <c>field!=value</c> terms,
/// ported from apimachinery <c>pkg/fields/selector.go</c>. The selector does not know which fields a resource
/// supports; the caller checks <see cref="Requirements"/> and reports an unsupported field itself.
/// </summary>
public sealed class FieldSelector
{
    private static readonly string[] _operators = ["!=", "==", "="];

    private FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    /// <summary>Matches everything.</summary>
    public static FieldSelector Empty { get; } = new([]);

    /// <summary>The terms, sorted as Kubernetes sorts them (by their raw text).</summary>
    public IReadOnlyList<FieldRequirement> Requirements { get; }

    public bool IsEmpty => Requirements.Count == 0;

    /// <summary>
    /// Parses a field selector. Terms are split on unescaped commas; in values <c>\,</c>, <c>\=</c> and
    /// <c>\\</c> stand for <c>,</c>, <c>=</c> and <c>\</c>. A null or empty string is <see cref="Empty"/>.
    /// </summary>
    /// <exception cref="SelectorParseException">A term without an operator, or a bad escape.</exception>
    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Empty;
        }

        var terms = SplitTerms(text);
        terms.Sort(StringComparer.Ordinal);
        var requirements = new List<FieldRequirement>(terms.Count);
        foreach (var term in terms)
        {
            if (term.Length == 0)
            {
                continue;
            }

            if (!SplitTerm(term, out var field, out var op, out var rawValue))
            {
                throw new SelectorParseException($"invalid selector: '{text}'; can't understand '{term}'");
            }

            requirements.Add(new FieldRequirement(field, op, UnescapeValue(rawValue)));
        }

        return requirements.Count == 0 ? Empty : new(requirements);
    }

    /// <summary>Like <see cref="Parse"/>, returning the Kubernetes error text instead of throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out FieldSelector? selector, [NotNullWhen(false)] out string? error)
    {
        try
        {
            selector = Parse(text);
            error = null;
            return true;
        }
        catch (SelectorParseException e)
        {
            selector = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Escapes <c>\</c>, <c>,</c> and <c>=</c> in a value (<c>fields.EscapeValue</c>).</summary>
    public static string EscapeValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("=", "\\=", StringComparison.Ordinal);

    /// <summary>True when every term holds; <paramref name="getField"/> returns a field's value or null.</summary>
    public bool Matches(Func<string, string?> getField)
    {
        ArgumentNullException.ThrowIfNull(getField);
        foreach (var requirement in Requirements)
        {
            if (!requirement.Matches(getField(requirement.Field)))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => string.Join(",", Requirements);

    private static List<string> SplitTerms(string text)
    {
        var terms = new List<string>();
        var start = 0;
        var inSlash = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inSlash)
            {
                inSlash = false;
            }
            else if (c == '\\')
            {
                inSlash = true;
            }
            else if (c == ',')
            {
                terms.Add(text[start..i]);
                start = i + 1;
            }
        }

        terms.Add(text[start..]);
        return terms;
    }

    private static bool SplitTerm(string term, out string field, out FieldSelectorOperator op, out string value)
    {
        for (var i = 0; i < term.Length; i++)
        {
            foreach (var candidate in _operators)
            {
                if (string.CompareOrdinal(term, i, candidate, 0, candidate.Length) == 0)
                {
                    field = term[..i];
                    value = term[(i + candidate.Length)..];
                    op = candidate switch
                    {
                        "!=" => FieldSelectorOperator.NotEquals,
                        "==" => FieldSelectorOperator.DoubleEquals,
                        _ => FieldSelectorOperator.Equals,
                    };
                    return true;
                }
            }
        }

        field = value = string.Empty;
        op = default;
        return false;
    }

    private static string UnescapeValue(string value)
    {
        if (value.AsSpan().IndexOfAny('\\', ',', '=') < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        var inSlash = false;
        foreach (var c in value)
        {
            if (inSlash)
            {
                if (c is not ('\\' or ',' or '='))
                {
                    throw new SelectorParseException("invalid field selector: invalid escape sequence: \\" + c);
                }

                sb.Append(c);
                inSlash = false;
                continue;
            }

            switch (c)
            {
                case '\\':
                    inSlash = true;
                    break;
                case ',':
                case '=':
                    // Go prints the rune with %v, that is its code point ("61" for '=').
                    throw new SelectorParseException(
                        "invalid field selector: unescaped character in value: " + ((int)c).ToString(CultureInfo.InvariantCulture));
                default:
                    sb.Append(c);
                    break;
            }
        }

        if (inSlash)
        {
            throw new SelectorParseException("invalid field selector: invalid escape sequence: \\");
        }

        return sb.ToString();
    }
}
