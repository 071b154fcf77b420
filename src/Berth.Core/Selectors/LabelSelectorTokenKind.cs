namespace Berth.Core.Selectors;

/// <summary>Token kinds of the label selector lexer (apimachinery <c>labels.Token</c>).</summary>
internal enum LabelSelectorTokenKind
{
    Error,
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}
