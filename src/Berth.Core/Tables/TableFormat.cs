using System.Globalization;
using Berth.Core.Selectors;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary>Small formatting helpers shared by the printers, each named after its printers.go counterpart.</summary>
internal static class TableFormat
{
    /// <summary><c>layoutContainerCells</c>: container names and images, comma-joined.</summary>
    public static (string Names, string Images) LayoutContainerCells(IList<V1Container>? containers)
    {
        containers ??= [];
        return (string.Join(",", containers.Select(c => c.Name)), string.Join(",", containers.Select(c => c.Image)));
    }

    /// <summary><c>labels.FormatLabels</c>: sorted <c>k=v</c> pairs or <c>&lt;none&gt;</c>.</summary>
    public static string FormatLabels(IDictionary<string, string>? labels)
    {
        var s = string.Join(",", (labels ?? new Dictionary<string, string>()).Select(kv => kv.Key + "=" + kv.Value).Order(StringComparer.Ordinal));
        return s.Length == 0 ? "<none>" : s;
    }

    /// <summary><c>metav1.FormatLabelSelector</c>: the selector string, <c>&lt;none&gt;</c> or <c>&lt;error&gt;</c>.</summary>
    public static string FormatLabelSelector(V1LabelSelector? selector)
    {
        var s = SelectorString(selector) ?? "<error>";
        return s.Length == 0 ? "<none>" : s;
    }

    /// <summary><c>LabelSelectorAsSelector(...).String()</c>, or null when the selector is invalid.</summary>
    public static string? SelectorString(V1LabelSelector? selector)
    {
        try
        {
            return LabelSelector.FromLabelSelector(selector).ToString();
        }
        catch (SelectorParseException)
        {
            return null;
        }
    }

    /// <summary><c>listWithMoreString</c>: the first items, then <c> + N more...</c>, or <c>&lt;unset&gt;</c>.</summary>
    public static string ListWithMore(IReadOnlyList<string> all, int max = 3)
    {
        var ret = string.Join(",", all.Take(max));
        if (all.Count > max)
        {
            return ret + " + " + (all.Count - max).ToString(CultureInfo.InvariantCulture) + " more...";
        }

        return ret.Length == 0 ? "<unset>" : ret;
    }

    /// <summary>Go's <c>net.JoinHostPort</c>: brackets around an IPv6 host.</summary>
    public static string JoinHostPort(string host, int port) =>
        (host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host) + ":" + port.ToString(CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
