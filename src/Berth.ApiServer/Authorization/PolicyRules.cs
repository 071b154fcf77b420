using System.Globalization;
using System.Text;
using k8s.Models;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// Pure functions over RBAC policy rules, ported from kubernetes: rule matching (<c>plugin/pkg/auth/authorizer/rbac</c>
/// <c>RuleAllows</c> and <c>pkg/apis/rbac/v1</c> evaluation helpers), coverage (<c>pkg/registry/rbac/validation</c>
/// <c>Covers</c>, <c>BreakdownRule</c>, <c>CompactRules</c>) and the compact rendering escalation errors use.
/// </summary>
internal static class PolicyRules
{
    public const string All = "*";

    /// <summary>A resource rule: <paramref name="verbs"/> on <paramref name="resources"/> of <paramref name="groups"/>.</summary>
    public static V1PolicyRule Resources(string[] verbs, string[] groups, string[] resources, string[]? names = null) =>
        new() { Verbs = verbs, ApiGroups = groups, Resources = resources, ResourceNames = names };

    /// <summary>A non-resource rule: <paramref name="verbs"/> on the URL paths <paramref name="urls"/>.</summary>
    public static V1PolicyRule Urls(string[] verbs, params string[] urls) => new() { Verbs = verbs, NonResourceURLs = urls };

    /// <summary>Whether <paramref name="rule"/> allows the request (<c>RuleAllows</c>).</summary>
    public static bool Allows(RequestAttributes request, V1PolicyRule rule)
    {
        if (!Has(rule.Verbs, request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return NonResourceUrlMatches(rule.NonResourceURLs, request.Path);
        }

        return Has(rule.ApiGroups, request.ApiGroup)
            && ResourceMatches(rule.Resources, request.CombinedResource, request.Subresource)
            && (rule.ResourceNames is not { Count: > 0 } names || names.Contains(request.Name));
    }

    /// <summary>Whether <paramref name="owner"/> holds every permission of <paramref name="servant"/>; what it misses, broken down (<c>Covers</c>).</summary>
    public static (bool Covered, List<V1PolicyRule> Missing) Covers(IEnumerable<V1PolicyRule> owner, IEnumerable<V1PolicyRule> servant)
    {
        var owned = owner.ToList();
        var missing = servant.SelectMany(Breakdown).Where(sub => !owned.Any(o => RuleCovers(o, sub))).ToList();
        return (missing.Count == 0, missing);
    }

    /// <summary>One rule per group × resource × verb × name, and per URL × verb (<c>BreakdownRule</c>).</summary>
    public static IEnumerable<V1PolicyRule> Breakdown(V1PolicyRule rule)
    {
        foreach (var group in rule.ApiGroups ?? [])
        {
            foreach (var resource in rule.Resources ?? [])
            {
                foreach (var verb in rule.Verbs ?? [])
                {
                    if (rule.ResourceNames is { Count: > 0 } names)
                    {
                        foreach (var name in names)
                        {
                            yield return Resources([verb], [group], [resource], [name]);
                        }
                    }
                    else
                    {
                        yield return Resources([verb], [group], [resource]);
                    }
                }
            }
        }

        foreach (var url in rule.NonResourceURLs ?? [])
        {
            foreach (var verb in rule.Verbs ?? [])
            {
                yield return Urls([verb], url);
            }
        }
    }

    /// <summary>
    /// Joins rules of one group and one resource (and the same names) that differ only by verb (<c>CompactRules</c>), so
    /// an escalation error lists <c>Verbs:["get" "list"]</c> once rather than a line per verb.
    /// </summary>
    public static List<V1PolicyRule> Compact(IEnumerable<V1PolicyRule> rules)
    {
        var result = new List<V1PolicyRule>();
        var simple = new Dictionary<(string Group, string Resource, string Names), V1PolicyRule>();
        foreach (var rule in rules)
        {
            if (rule.ApiGroups is [var group] && rule.Resources is [var resource] && (rule.NonResourceURLs?.Count ?? 0) == 0)
            {
                var key = (group, resource, string.Join("\0", rule.ResourceNames ?? []));
                if (simple.TryGetValue(key, out var existing))
                {
                    foreach (var verb in rule.Verbs ?? [])
                    {
                        if (!existing.Verbs.Contains(verb))
                        {
                            existing.Verbs.Add(verb);
                        }
                    }

                    continue;
                }

                var copy = new V1PolicyRule
                {
                    Verbs = new List<string>(rule.Verbs ?? []),
                    ApiGroups = [group],
                    Resources = [resource],
                    ResourceNames = rule.ResourceNames is { Count: > 0 } n ? [.. n] : null,
                };
                simple[key] = copy;
                result.Add(copy);
                continue;
            }

            result.Add(rule);
        }

        return result;
    }

    /// <summary>The compact rendering of escalation errors (<c>CompactString</c>): <c>{APIGroups:[""], Resources:["pods"], Verbs:["get"]}</c>.</summary>
    public static string CompactString(V1PolicyRule rule)
    {
        var parts = new List<string>();
        Add("APIGroups", rule.ApiGroups);
        Add("Resources", rule.Resources);
        Add("NonResourceURLs", rule.NonResourceURLs);
        Add("ResourceNames", rule.ResourceNames);
        Add("Verbs", rule.Verbs);
        return "{" + string.Join(", ", parts) + "}";

        void Add(string name, IList<string>? values)
        {
            if (values is { Count: > 0 })
            {
                parts.Add(name + ":" + GoQuotedSlice(values));
            }
        }
    }

    /// <summary>Go's <c>%q</c> of a string slice: <c>["a" "b"]</c>.</summary>
    public static string GoQuotedSlice(IEnumerable<string> values)
    {
        var text = new StringBuilder("[");
        var first = true;
        foreach (var value in values)
        {
            text.Append(first ? "" : " ").Append(GoQuote(value));
            first = false;
        }

        return text.Append(']').ToString();
    }

    /// <summary>Go's <c>%q</c> of one string.</summary>
    public static string GoQuote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                < ' ' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    private static bool Has(IList<string>? set, string value) => set is not null && (set.Contains(All) || set.Contains(value));

    /// <summary><c>ResourceMatches</c>: <c>*</c>, the exact resource (with its subresource), or <c>*/subresource</c>.</summary>
    private static bool ResourceMatches(IList<string>? ruleResources, string combined, string subresource)
    {
        foreach (var r in ruleResources ?? [])
        {
            if (r == All || r == combined)
            {
                return true;
            }

            if (subresource.Length > 0 && r.Length == subresource.Length + 2 && r.StartsWith("*/", StringComparison.Ordinal) && r.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>NonResourceURLMatches</c>: <c>*</c>, the exact path, or a prefix ending in <c>*</c>.</summary>
    private static bool NonResourceUrlMatches(IList<string>? urls, string path)
    {
        foreach (var url in urls ?? [])
        {
            if (url == All || url == path || (url.EndsWith('*') && path.StartsWith(url[..^1], StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>ruleCovers</c>: the owner rule holds the whole of one broken-down rule.</summary>
    private static bool RuleCovers(V1PolicyRule owner, V1PolicyRule sub)
    {
        var verbs = Has(owner.Verbs, All) || HasAll(owner.Verbs, sub.Verbs);
        var groups = Has(owner.ApiGroups, All) || HasAll(owner.ApiGroups, sub.ApiGroups);
        var resources = ResourceCoversAll(owner.Resources, sub.Resources);
        var urls = (sub.NonResourceURLs ?? []).All(path => (owner.NonResourceURLs ?? []).Any(o => o == path || (o.EndsWith('*') && path.StartsWith(o.TrimEnd('*'), StringComparison.Ordinal))));
        var names = (owner.ResourceNames?.Count ?? 0) == 0 || ((sub.ResourceNames?.Count ?? 0) > 0 && HasAll(owner.ResourceNames, sub.ResourceNames));
        return verbs && groups && resources && names && urls;
    }

    private static bool HasAll(IList<string>? set, IList<string>? contains) => (contains ?? []).All(c => set?.Contains(c) == true);

    private static bool ResourceCoversAll(IList<string>? owner, IList<string>? covers)
    {
        if (owner?.Contains(All) == true || HasAll(owner, covers))
        {
            return true;
        }

        foreach (var path in covers ?? [])
        {
            if (owner?.Contains(path) == true)
            {
                continue;
            }

            var slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || owner?.Contains("*/" + path[(slash + 1)..]) != true)
            {
                return false;
            }
        }

        return true;
    }
}
