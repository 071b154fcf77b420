using System.Globalization;
using k8s.Models;

namespace Berth.Controllers.Common;

/// <summary>
/// A pod's required node affinity against a node (<c>component-helpers/scheduling/corev1/nodeaffinity</c>): the terms
/// of <c>requiredDuringSchedulingIgnoredDuringExecution</c> are ORed, the requirements of one term ANDed;
/// <c>matchExpressions</c> read the node's labels (In, NotIn, Exists, DoesNotExist, Gt, Lt), <c>matchFields</c> its
/// <c>metadata.name</c> (In, NotIn) — how DaemonSet pods name their node.
/// </summary>
internal static class NodeAffinity
{
    /// <summary>True when the pod has no required node affinity or <paramref name="node"/> satisfies it.</summary>
    public static bool Matches(V1PodSpec? spec, V1Node node)
    {
        if (spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is not { } required)
        {
            return true;
        }

        return required.NodeSelectorTerms?.Any(t => Matches(t, node)) == true;
    }

    private static bool Matches(V1NodeSelectorTerm term, V1Node node)
    {
        if ((term.MatchExpressions?.Count ?? 0) == 0 && (term.MatchFields?.Count ?? 0) == 0)
        {
            // An empty term matches no node.
            return false;
        }

        var labels = node.Metadata?.Labels ?? new Dictionary<string, string>();
        var fields = new Dictionary<string, string> { ["metadata.name"] = node.Metadata?.Name ?? "" };
        return (term.MatchExpressions ?? []).All(r => Matches(r, labels)) && (term.MatchFields ?? []).All(r => Matches(r, fields));
    }

    private static bool Matches(V1NodeSelectorRequirement requirement, IDictionary<string, string> values)
    {
        var has = values.TryGetValue(requirement.Key, out var value);
        var listed = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => has && listed.Contains(value!),
            "NotIn" => !has || !listed.Contains(value!),
            "Exists" => has,
            "DoesNotExist" => !has,
            "Gt" => has && Compare(value!, listed) is > 0,
            "Lt" => has && Compare(value!, listed) is < 0,
            _ => false,
        };
    }

    private static int? Compare(string value, IList<string> listed) =>
        listed.Count == 1
        && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual)
        && long.TryParse(listed[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound)
            ? actual.CompareTo(bound)
            : null;
}
