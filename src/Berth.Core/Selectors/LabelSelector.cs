using System.Diagnostics.CodeAnalysis;
using k8s.Models;

namespace Berth.Core.Selectors;

/// <summary>
/// A compiled label selector: an AND of <see cref="LabelRequirement"/>s, sorted by key. Built from the
/// query-string syntax (<see cref="Parse"/>), from a <see cref="V1LabelSelector"/> (Deployment, ReplicaSet) or
/// from a plain map (Service <c>spec.selector</c>). Immutable and safe to share.
/// </summary>
public sealed class LabelSelector
{
    private readonly bool _nothing;

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements, bool nothing)
    {
        Requirements = requirements;
        _nothing = nothing;
    }

    /// <summary>Matches every object (<c>labels.Everything()</c>).</summary>
    public static LabelSelector Empty { get; } = new([], nothing: false);

    /// <summary>Matches no object (<c>labels.Nothing()</c>), what a nil <c>V1LabelSelector</c> means.</summary>
    public static LabelSelector Nothing { get; } = new([], nothing: true);

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>True when the selector has no requirement and so matches everything.</summary>
    public bool IsEmpty => !_nothing && Requirements.Count == 0;

    /// <summary>
    /// Parses the <c>labelSelector</c> query syntax: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (b,c)</c>,
    /// <c>a notin (b,c)</c>, <c>a</c>, <c>!a</c>, <c>a&gt;1</c>, <c>a&lt;1</c>, joined by commas.
    /// A null or blank string is <see cref="Empty"/>.
    /// </summary>
    /// <exception cref="SelectorParseException">The text is not a valid selector.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Empty;
        }

        var requirements = LabelSelectorParser.Parse(text);
        return requirements.Count == 0 ? Empty : new(requirements, nothing: false);
    }

    /// <summary>Like <see cref="Parse"/>, returning the Kubernetes error text instead of throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out LabelSelector? selector, [NotNullWhen(false)] out string? error)
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

    /// <summary>
    /// Converts a <see cref="V1LabelSelector"/> as <c>metav1.LabelSelectorAsSelector</c> does: null matches
    /// nothing, an empty selector matches everything, and matchLabels and matchExpressions are ANDed.
    /// </summary>
    /// <exception cref="SelectorParseException">An unknown operator, or an invalid key or value.</exception>
    public static LabelSelector FromLabelSelector(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return Nothing;
        }

        var matchLabels = selector.MatchLabels ?? new Dictionary<string, string>();
        var expressions = selector.MatchExpressions ?? [];
        if (matchLabels.Count + expressions.Count == 0)
        {
            return Empty;
        }

        var requirements = new List<LabelRequirement>(matchLabels.Count + expressions.Count);
        foreach (var (key, value) in matchLabels)
        {
            requirements.Add(LabelRequirement.Create(key, LabelSelectorOperator.Equals, [value ?? string.Empty]));
        }

        foreach (var expression in expressions)
        {
            var op = expression.OperatorProperty switch
            {
                "In" => LabelSelectorOperator.In,
                "NotIn" => LabelSelectorOperator.NotIn,
                "Exists" => LabelSelectorOperator.Exists,
                "DoesNotExist" => LabelSelectorOperator.DoesNotExist,
                var other => throw new SelectorParseException($"\"{other}\" is not a valid label selector operator"),
            };
            requirements.Add(LabelRequirement.Create(expression.Key ?? string.Empty, op, [.. expression.Values ?? []]));
        }

        return new([.. requirements.OrderBy(r => r.Key, StringComparer.Ordinal)], nothing: false);
    }

    /// <summary>
    /// An equality selector from a map, as <c>labels.SelectorFromSet</c> (not validated). A null or empty map is
    /// <see cref="Empty"/>; note that a Service with an empty selector selects no Pods, which the caller decides.
    /// </summary>
    public static LabelSelector FromMap(IDictionary<string, string>? labels)
    {
        if (labels is null || labels.Count == 0)
        {
            return Empty;
        }

        var requirements = labels
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new LabelRequirement(kv.Key, LabelSelectorOperator.Equals, [kv.Value ?? string.Empty]))
            .ToList();
        return new(requirements, nothing: false);
    }

    /// <summary>True when every requirement holds for <paramref name="labels"/> (null means no labels).</summary>
    public bool Matches(IDictionary<string, string>? labels)
    {
        if (_nothing)
        {
            return false;
        }

        foreach (var requirement in Requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The selector in query syntax, as <c>Selector.String()</c> (empty for Empty and Nothing).</summary>
    public override string ToString() => string.Join(",", Requirements);
}
