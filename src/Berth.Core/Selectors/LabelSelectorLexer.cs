using System.Text;

namespace Berth.Core.Selectors;

/// <summary>
/// Splits a label selector into tokens exactly as apimachinery's <c>labels.Lexer</c> does:
/// identifiers run until whitespace or a special symbol, and a run of special symbols yields the longest
/// operator it starts with.
/// </summary>
internal sealed class LabelSelectorLexer(string text)
{
    private int _pos;

    public static List<LabelSelectorToken> Scan(string text)
    {
        var lexer = new LabelSelectorLexer(text);
        var tokens = new List<LabelSelectorToken>();
        while (true)
        {
            var token = lexer.Lex();
            tokens.Add(token);
            if (token.Kind == LabelSelectorTokenKind.EndOfString)
            {
                return tokens;
            }
        }
    }

    public LabelSelectorToken Lex()
    {
        while (_pos < text.Length && IsWhitespace(text[_pos]))
        {
            _pos++;
        }

        if (_pos >= text.Length)
        {
            return new(LabelSelectorTokenKind.EndOfString, string.Empty);
        }

        return IsSpecialSymbol(text[_pos]) ? ScanSpecialSymbol() : ScanIdentifierOrKeyword();
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsSpecialSymbol(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';

    private static LabelSelectorTokenKind? Keyword(string s) => s switch
    {
        ")" => LabelSelectorTokenKind.ClosedPar,
        "," => LabelSelectorTokenKind.Comma,
        "!" => LabelSelectorTokenKind.DoesNotExist,
        "==" => LabelSelectorTokenKind.DoubleEquals,
        "=" => LabelSelectorTokenKind.Equals,
        ">" => LabelSelectorTokenKind.GreaterThan,
        "in" => LabelSelectorTokenKind.In,
        "<" => LabelSelectorTokenKind.LessThan,
        "!=" => LabelSelectorTokenKind.NotEquals,
        "notin" => LabelSelectorTokenKind.NotIn,
        "(" => LabelSelectorTokenKind.OpenPar,
        _ => null,
    };

    private LabelSelectorToken ScanIdentifierOrKeyword()
    {
        var start = _pos;
        while (_pos < text.Length && !IsSpecialSymbol(text[_pos]) && !IsWhitespace(text[_pos]))
        {
            _pos++;
        }

        var s = text[start.._pos];
        return new(Keyword(s) ?? LabelSelectorTokenKind.Identifier, s);
    }

    private LabelSelectorToken ScanSpecialSymbol()
    {
        var buffer = new StringBuilder();
        LabelSelectorToken? last = null;
        while (_pos < text.Length && IsSpecialSymbol(text[_pos]))
        {
            buffer.Append(text[_pos]);
            if (Keyword(buffer.ToString()) is { } kind)
            {
                last = new(kind, buffer.ToString());
                _pos++;
            }
            else if (last is not null)
            {
                break;
            }
            else
            {
                _pos++;
            }
        }

        return last ?? new(LabelSelectorTokenKind.Error, $"error expected: keyword found '{buffer}'");
    }
}
