using k8s.Models;

namespace Berth.Core.Validation;

/// <summary>Label selector matching (<c>labels.SelectorFromSet</c> / <c>LabelSelectorAsSelector</c>).</summary>
public static class LabelSelectors
{
    /// <summary>True when the selector has neither matchLabels nor matchExpressions (it matches everything).</summary>
    public static bool IsEmpty(V1LabelSelector? selector) =>
        selector is null || ((selector.MatchLabels?.Count ?? 0) + (selector.MatchExpressions?.Count ?? 0)) == 0;

    public static bool Matches(V1LabelSelector selector, IDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        foreach (var (k, v) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(k, out var actual) || actual != v)
            {
                return false;
            }
        }

        foreach (var r in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(r.Key ?? "", out var actual);
            var ok = r.OperatorProperty switch
            {
                "In" => has && (r.Values ?? []).Contains(actual!),
                "NotIn" => !has || !(r.Values ?? []).Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Equality-based match of a Service-style selector map (an empty map matches everything).</summary>
    public static bool Matches(IDictionary<string, string> selector, IDictionary<string, string>? labels) =>
        selector.All(kv => labels is not null && labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
