namespace Berth.Core.Selectors;

/// <summary>
/// Recursive-descent parser for label selectors, a port of apimachinery <c>labels.Parser</c>
/// (<c>staging/src/k8s.io/apimachinery/pkg/labels/selector.go</c>) with the same error texts.
/// </summary>
internal sealed class LabelSelectorParser
{
    // selection.Operator spellings, in the order Kubernetes lists them in "expected:" messages.
    private const string BinaryOperators = "in, notin, =, ==, !=, gt, lt";

    private readonly List<LabelSelectorToken> _tokens;
    private int _position;

    private LabelSelectorParser(string text) => _tokens = LabelSelectorLexer.Scan(text);

    private enum Context
    {
        KeyAndOperator,
        Values,
    }

    /// <summary>Parses <paramref name="text"/>; requirements come back sorted by key.</summary>
    public static List<LabelRequirement> Parse(string text)
    {
        var requirements = new LabelSelectorParser(text).ParseRequirements();
        return [.. requirements.OrderBy(r => r.Key, StringComparer.Ordinal)];
    }

    private List<LabelRequirement> ParseRequirements()
    {
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            var (kind, literal) = Lookahead(Context.Values);
            switch (kind)
            {
                case LabelSelectorTokenKind.Identifier:
                case LabelSelectorTokenKind.DoesNotExist:
                    LabelRequirement requirement;
                    try
                    {
                        requirement = ParseRequirement();
                    }
                    catch (SelectorParseException e)
                    {
                        throw new SelectorParseException("unable to parse requirement: " + e.Message, e);
                    }

                    requirements.Add(requirement);
                    var (next, nextLiteral) = Consume(Context.Values);
                    switch (next)
                    {
                        case LabelSelectorTokenKind.EndOfString:
                            return requirements;
                        case LabelSelectorTokenKind.Comma:
                            var (afterComma, afterCommaLiteral) = Lookahead(Context.Values);
                            if (afterComma is not LabelSelectorTokenKind.Identifier and not LabelSelectorTokenKind.DoesNotExist)
                            {
                                throw new SelectorParseException($"found '{afterCommaLiteral}', expected: identifier after ','");
                            }

                            break;
                        default:
                            throw new SelectorParseException($"found '{nextLiteral}', expected: ',' or 'end of string'");
                    }

                    break;
                case LabelSelectorTokenKind.EndOfString:
                    return requirements;
                default:
                    throw new SelectorParseException($"found '{literal}', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement ParseRequirement()
    {
        var (key, op) = ParseKeyAndInferOperator();
        if (op is LabelSelectorOperator.Exists or LabelSelectorOperator.DoesNotExist)
        {
            return LabelRequirement.Create(key, op.Value, []);
        }

        var binary = ParseOperator();
        var values = binary is LabelSelectorOperator.In or LabelSelectorOperator.NotIn ? ParseValues() : ParseExactValue();

        // sets.String.List(): sorted, distinct.
        return LabelRequirement.Create(key, binary, [.. values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    private (string Key, LabelSelectorOperator? Operator) ParseKeyAndInferOperator()
    {
        LabelSelectorOperator? op = null;
        var (kind, literal) = Consume(Context.Values);
        if (kind == LabelSelectorTokenKind.DoesNotExist)
        {
            op = LabelSelectorOperator.DoesNotExist;
            (kind, literal) = Consume(Context.Values);
        }

        if (kind != LabelSelectorTokenKind.Identifier)
        {
            throw new SelectorParseException($"found '{literal}', expected: identifier");
        }

        var keyErrors = LabelValidation.ValidateKey(literal);
        if (keyErrors.Count != 0)
        {
            throw new SelectorParseException(LabelValidation.Invalid(null, literal, keyErrors));
        }

        if (Lookahead(Context.Values).Kind is LabelSelectorTokenKind.EndOfString or LabelSelectorTokenKind.Comma
            && op != LabelSelectorOperator.DoesNotExist)
        {
            op = LabelSelectorOperator.Exists;
        }

        return (literal, op);
    }

    private LabelSelectorOperator ParseOperator()
    {
        var (kind, literal) = Consume(Context.KeyAndOperator);
        return kind switch
        {
            LabelSelectorTokenKind.In => LabelSelectorOperator.In,
            LabelSelectorTokenKind.Equals => LabelSelectorOperator.Equals,
            LabelSelectorTokenKind.DoubleEquals => LabelSelectorOperator.DoubleEquals,
            LabelSelectorTokenKind.GreaterThan => LabelSelectorOperator.GreaterThan,
            LabelSelectorTokenKind.LessThan => LabelSelectorOperator.LessThan,
            LabelSelectorTokenKind.NotIn => LabelSelectorOperator.NotIn,
            LabelSelectorTokenKind.NotEquals => LabelSelectorOperator.NotEquals,
            _ => throw new SelectorParseException($"found '{literal}', expected: {BinaryOperators}"),
        };
    }

    private List<string> ParseValues()
    {
        var (kind, literal) = Consume(Context.Values);
        if (kind != LabelSelectorTokenKind.OpenPar)
        {
            throw new SelectorParseException($"found '{literal}' expected: '('");
        }

        (kind, literal) = Lookahead(Context.Values);
        switch (kind)
        {
            case LabelSelectorTokenKind.Identifier:
            case LabelSelectorTokenKind.Comma:
                var values = ParseIdentifiersList();
                if (Consume(Context.Values).Kind != LabelSelectorTokenKind.ClosedPar)
                {
                    throw new SelectorParseException($"found '{literal}', expected: ')'");
                }

                return values;
            case LabelSelectorTokenKind.ClosedPar:
                // "()" is the set holding the empty string.
                Consume(Context.Values);
                return [string.Empty];
            default:
                throw new SelectorParseException($"found '{literal}', expected: ',', ')' or identifier");
        }
    }

    private List<string> ParseIdentifiersList()
    {
        var values = new List<string>();
        while (true)
        {
            var (kind, literal) = Consume(Context.Values);
            switch (kind)
            {
                case LabelSelectorTokenKind.Identifier:
                    values.Add(literal);
                    var (next, nextLiteral) = Lookahead(Context.Values);
                    switch (next)
                    {
                        case LabelSelectorTokenKind.Comma:
                            continue;
                        case LabelSelectorTokenKind.ClosedPar:
                            return values;
                        default:
                            throw new SelectorParseException($"found '{nextLiteral}', expected: ',' or ')'");
                    }

                case LabelSelectorTokenKind.Comma:
                    // "(,", ",)" and ",," each stand for an empty value.
                    if (values.Count == 0)
                    {
                        values.Add(string.Empty);
                    }

                    var after = Lookahead(Context.Values).Kind;
                    if (after == LabelSelectorTokenKind.ClosedPar)
                    {
                        values.Add(string.Empty);
                        return values;
                    }

                    if (after == LabelSelectorTokenKind.Comma)
                    {
                        values.Add(string.Empty);
                    }

                    break;
                default:
                    throw new SelectorParseException($"found '{literal}', expected: ',', or identifier");
            }
        }
    }

    private List<string> ParseExactValue()
    {
        if (Lookahead(Context.Values).Kind is LabelSelectorTokenKind.EndOfString or LabelSelectorTokenKind.Comma)
        {
            return [string.Empty];
        }

        var (kind, literal) = Consume(Context.Values);
        return kind == LabelSelectorTokenKind.Identifier
            ? [literal]
            : throw new SelectorParseException($"found '{literal}', expected: identifier");
    }

    private LabelSelectorToken Lookahead(Context context) => Translate(Peek(_position), context);

    private LabelSelectorToken Consume(Context context)
    {
        var token = Peek(_position);
        _position++;
        return Translate(token, context);
    }

    private LabelSelectorToken Peek(int index) =>
        index < _tokens.Count ? _tokens[index] : new(LabelSelectorTokenKind.EndOfString, string.Empty);

    // In the Values context the keywords "in" and "notin" are ordinary identifiers.
    private static LabelSelectorToken Translate(LabelSelectorToken token, Context context) =>
        context == Context.Values && token.Kind is LabelSelectorTokenKind.In or LabelSelectorTokenKind.NotIn
            ? token with { Kind = LabelSelectorTokenKind.Identifier }
            : token;
}
