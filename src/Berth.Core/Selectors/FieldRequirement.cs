namespace Berth.Core.Selectors;

/// <summary>One term of a field selector; <see cref="Value"/> is already unescaped.</summary>
public sealed record FieldRequirement(string Field, FieldSelectorOperator Operator, string Value)
{
    /// <summary>
    /// Whether the term holds for a field value; a missing field (null) counts as the empty string,
    /// as in Kubernetes' <c>fields.Set.Get</c>.
    /// </summary>
    public bool Matches(string? actual)
    {
        var equal = string.Equals(actual ?? string.Empty, Value, StringComparison.Ordinal);
        return Operator == FieldSelectorOperator.NotEquals ? !equal : equal;
    }

    public override string ToString() =>
        Field + (Operator switch
        {
            FieldSelectorOperator.NotEquals => "!=",
            FieldSelectorOperator.DoubleEquals => "==",
            _ => "=",
        }) + FieldSelector.EscapeValue(Value);
}
