using System.Globalization;
using System.Text;
using Berth.Core.Resources;

namespace Berth.Client.Http;

/// <summary>Builds request paths and query strings of the Kubernetes REST API.</summary>
internal static class ResourcePaths
{
    /// <summary>
    /// <c>/api/v1/namespaces/{ns}/pods/{name}/{subresource}</c>. A namespaced resource without a namespace addresses
    /// all namespaces, which only list and watch accept.
    /// </summary>
    public static string For(ResourceInfo resource, string? ns, string? name = null, string? subresource = null)
    {
        var path = new StringBuilder(resource.GroupVersionPath);
        if (resource.Namespaced && !string.IsNullOrEmpty(ns))
        {
            path.Append("/namespaces/").Append(Uri.EscapeDataString(ns));
        }
        else if (resource.Namespaced && name is not null)
        {
            throw new ArgumentException($"{resource.Plural} are namespaced: a namespace is required", nameof(ns));
        }

        path.Append('/').Append(resource.Plural);
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            path.Append('/').Append(Uri.EscapeDataString(name));
        }

        if (subresource is not null)
        {
            path.Append('/').Append(subresource);
        }

        return path.ToString();
    }

    public static string WithQuery(string path, IEnumerable<(string Name, string? Value)> parameters)
    {
        var text = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            text.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return text.ToString();
    }

    public static string? Seconds(TimeSpan? timeout) =>
        timeout is { } t ? Math.Max(1, (long)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null;
}
