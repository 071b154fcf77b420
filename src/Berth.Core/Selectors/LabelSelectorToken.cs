namespace Berth.Core.Selectors;

/// <summary>One scanned token and the text it was scanned from.</summary>
internal readonly record struct LabelSelectorToken(LabelSelectorTokenKind Kind, string Literal);
