namespace Berth.Controllers.Common;

/// <summary>
/// Deep copies of KubernetesClient models (the one implementation is <see cref="Client.ObjectCopy"/>) and the map
/// helpers the planners share.
/// </summary>
internal static class ObjectCopy
{
    public static T Clone<T>(T value)
        where T : class => Client.ObjectCopy.Clone(value);

    public static Dictionary<string, string> CloneMap(IDictionary<string, string>? map) =>
        map is null ? new(StringComparer.Ordinal) : new(map, StringComparer.Ordinal);

    /// <summary>The value under <paramref name="key"/>, or null (IDictionary has no GetValueOrDefault).</summary>
    public static string? Get(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : null;

    /// <summary>Map equality where null and empty are the same, as apimachinery's semantic DeepEqual.</summary>
    public static bool MapsEqual(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        var left = a ?? new Dictionary<string, string>();
        var right = b ?? new Dictionary<string, string>();
        if (left.Count != right.Count)
        {
            return false;
        }

        foreach (var (key, value) in left)
        {
            if (!right.TryGetValue(key, out var other) || !string.Equals(value ?? string.Empty, other ?? string.Empty, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
