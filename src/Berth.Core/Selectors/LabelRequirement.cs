using System.Globalization;
using System.Text;

namespace Berth.Core.Selectors;

/// <summary>
/// One requirement of a label selector: a key, an operator and its values. Matching and
/// <see cref="ToString"/> follow apimachinery <c>labels.Requirement</c>.
/// </summary>
public sealed record LabelRequirement
{
    internal LabelRequirement(string key, LabelSelectorOperator @operator, IReadOnlyList<string> values)
    {
        Key = key;
        Operator = @operator;
        Values = values;
    }

    public string Key { get; }

    public LabelSelectorOperator Operator { get; }

    /// <summary>The values, as given (parsed selectors hold them sorted and de-duplicated).</summary>
    public IReadOnlyList<string> Values { get; }

    public bool Matches(IDictionary<string, string>? labels)
    {
        string? value = null;
        var exists = labels is not null && labels.TryGetValue(Key, out value);
        switch (Operator)
        {
            case LabelSelectorOperator.In:
            case LabelSelectorOperator.Equals:
            case LabelSelectorOperator.DoubleEquals:
                return exists && Values.Contains(value!, StringComparer.Ordinal);
            case LabelSelectorOperator.NotIn:
            case LabelSelectorOperator.NotEquals:
                return !exists || !Values.Contains(value!, StringComparer.Ordinal);
            case LabelSelectorOperator.Exists:
                return exists;
            case LabelSelectorOperator.DoesNotExist:
                return !exists;
            case LabelSelectorOperator.GreaterThan:
            case LabelSelectorOperator.LessThan:
                if (!exists
                    || Values.Count != 1
                    || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual)
                    || !long.TryParse(Values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound))
                {
                    return false;
                }

                return Operator == LabelSelectorOperator.GreaterThan ? actual > bound : actual < bound;
            default:
                return false;
        }
    }

    /// <summary>The requirement in selector syntax, as <c>Requirement.String()</c> writes it.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Operator == LabelSelectorOperator.DoesNotExist)
        {
            sb.Append('!');
        }

        sb.Append(Key);
        switch (Operator)
        {
            case LabelSelectorOperator.Exists:
            case LabelSelectorOperator.DoesNotExist:
                return sb.ToString();
            case LabelSelectorOperator.Equals:
                sb.Append('=');
                break;
            case LabelSelectorOperator.DoubleEquals:
                sb.Append("==");
                break;
            case LabelSelectorOperator.NotEquals:
                sb.Append("!=");
                break;
            case LabelSelectorOperator.In:
                sb.Append(" in (");
                break;
            case LabelSelectorOperator.NotIn:
                sb.Append(" notin (");
                break;
            case LabelSelectorOperator.GreaterThan:
                sb.Append('>');
                break;
            case LabelSelectorOperator.LessThan:
                sb.Append('<');
                break;
        }

        sb.AppendJoin(',', Values.Order(StringComparer.Ordinal));
        if (Operator is LabelSelectorOperator.In or LabelSelectorOperator.NotIn)
        {
            sb.Append(')');
        }

        return sb.ToString();
    }

    /// <summary>
    /// Builds a validated requirement, as apimachinery <c>labels.NewRequirement</c>; the errors are
    /// field errors rendered like Kubernetes (<c>values[0][app]: Invalid value: "a b": …</c>).
    /// </summary>
    internal static LabelRequirement Create(string key, LabelSelectorOperator op, IReadOnlyList<string> values, string? keyPath = "key")
    {
        var errors = new List<string>();
        var keyErrors = LabelValidation.ValidateKey(key);
        if (keyErrors.Count != 0)
        {
            errors.Add(LabelValidation.Invalid(keyPath, key, keyErrors));
        }

        switch (op)
        {
            case LabelSelectorOperator.In:
            case LabelSelectorOperator.NotIn:
                if (values.Count == 0)
                {
                    errors.Add("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
                }

                break;
            case LabelSelectorOperator.Equals:
            case LabelSelectorOperator.DoubleEquals:
            case LabelSelectorOperator.NotEquals:
                if (values.Count != 1)
                {
                    errors.Add("values: Invalid value: " + LabelValidation.JsonList(values) + ": exact-match compatibility requires one single value");
                }

                break;
            case LabelSelectorOperator.Exists:
            case LabelSelectorOperator.DoesNotExist:
                if (values.Count != 0)
                {
                    errors.Add("values: Invalid value: " + LabelValidation.JsonList(values) + ": values set must be empty for exists and does not exist");
                }

                break;
            case LabelSelectorOperator.GreaterThan:
            case LabelSelectorOperator.LessThan:
                if (values.Count != 1)
                {
                    errors.Add("values: Invalid value: " + LabelValidation.JsonList(values) + ": for 'Gt', 'Lt' operators, exactly one value is required");
                }

                for (var i = 0; i < values.Count; i++)
                {
                    if (!long.TryParse(values[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                    {
                        errors.Add(LabelValidation.Invalid($"values[{i}]", values[i], ["for 'Gt', 'Lt' operators, the value must be an integer"]));
                    }
                }

                break;
        }

        for (var i = 0; i < values.Count; i++)
        {
            var valueErrors = LabelValidation.ValidateValue(values[i]);
            if (valueErrors.Count != 0)
            {
                errors.Add(LabelValidation.Invalid($"values[{i}][{key}]", values[i], valueErrors));
            }
        }

        if (errors.Count != 0)
        {
            // field.ErrorList.ToAggregate(): one error alone, several as "[a, b]".
            throw new SelectorParseException(errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]");
        }

        return new LabelRequirement(key, op, values);
    }
}
