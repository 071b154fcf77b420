using System.Text;
using Berth.Node.Pods;
using k8s.Models;

namespace Berth.Node.Volumes;

/// <summary>
/// The files of the API-backed volumes, pure: the kubelet's <c>MakePayload</c> of the configMap, secret and downwardAPI
/// plugins (pkg/volume/configmap, secret, downwardapi) and the projected plugin's <c>collectData</c>. Objects are read
/// by the caller; a <c>null</c> object is one that does not exist.
/// </summary>
internal static class VolumePayloads
{
    /// <summary>0644: the default mode of configMap, secret, downwardAPI and projected volumes (core/v1 defaults).</summary>
    public const int DefaultMode = 420;

    /// <summary>A configMap volume (or projection): every key (data and binaryData), or the listed <paramref name="items"/>.</summary>
    public static PayloadResult ConfigMap(string name, IList<V1KeyToPath>? items, int? defaultMode, bool optional, V1ConfigMap? map)
    {
        if (map is null)
        {
            return optional ? PayloadResult.Ok(new Dictionary<string, FileProjection>()) : PayloadResult.Fail($"configmap \"{name}\" not found");
        }

        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Data ?? new Dictionary<string, string>())
        {
            data[key] = Encoding.UTF8.GetBytes(value);
        }

        foreach (var (key, value) in map.BinaryData ?? new Dictionary<string, byte[]>())
        {
            data[key] = value;
        }

        return KeysToPaths(data, items, defaultMode, optional, "configmap references non-existent config key: ");
    }

    /// <summary>A secret volume (or projection), as <see cref="ConfigMap"/>.</summary>
    public static PayloadResult Secret(string name, IList<V1KeyToPath>? items, int? defaultMode, bool optional, V1Secret? secret)
    {
        if (secret is null)
        {
            return optional ? PayloadResult.Ok(new Dictionary<string, FileProjection>()) : PayloadResult.Fail($"secret \"{name}\" not found");
        }

        var data = new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal);
        return KeysToPaths(data, items, defaultMode, optional, "references non-existent secret key: ");
    }

    /// <summary>
    /// A downwardAPI volume (or projection): each item's <c>fieldRef</c> (metadata.name, namespace, uid, labels,
    /// annotations and their <c>['key']</c> forms) or <c>resourceFieldRef</c> (the named container's limits/requests).
    /// </summary>
    public static PayloadResult DownwardApi(IList<V1DownwardAPIVolumeFile>? items, int? defaultMode, V1Pod pod, NodeCapacity node)
    {
        var files = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var item in items ?? [])
        {
            (string? Value, string? Error) value;
            if (item.FieldRef is { } fieldRef)
            {
                value = ContainerEnvironment.FieldValue(fieldRef.FieldPath, pod, null, string.Empty);
            }
            else if (item.ResourceFieldRef is { } resourceRef)
            {
                var container = (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []).FirstOrDefault(c => c.Name == resourceRef.ContainerName);
                value = container is null
                    ? (null, $"container {resourceRef.ContainerName} not found")
                    : ResourceFields.Value(container, resourceRef.Resource, resourceRef.Divisor, node);
            }
            else
            {
                continue;
            }

            if (value.Error is { } error)
            {
                errors.Add(error); // the kubelet collects every item's error and reports them together
                continue;
            }

            files[item.Path] = new FileProjection(Encoding.UTF8.GetBytes(value.Value!), Mode(item.Mode ?? defaultMode));
        }

        return errors.Count > 0 ? PayloadResult.Fail(string.Join(", ", errors)) : PayloadResult.Ok(files);
    }

    /// <summary>
    /// Projected volumes merge their sources' files in order (a later source's file of the same path wins); the first
    /// failing source fails the volume.
    /// </summary>
    public static PayloadResult Merge(IEnumerable<PayloadResult> sources)
    {
        var files = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            if (source.Error is not null)
            {
                return source;
            }

            foreach (var (path, file) in source.Files!)
            {
                files[path] = file;
            }
        }

        return PayloadResult.Ok(files);
    }

    /// <summary>The permission bits of an API <c>mode</c> (decimal in JSON, e.g. 420 = 0644).</summary>
    public static UnixFileMode Mode(int? mode) => (UnixFileMode)((mode ?? DefaultMode) & 0x1FF);

    private static PayloadResult KeysToPaths(Dictionary<string, byte[]> data, IList<V1KeyToPath>? items, int? defaultMode, bool optional, string missingKey)
    {
        var files = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        if (items is not { Count: > 0 })
        {
            foreach (var (key, value) in data)
            {
                files[key] = new FileProjection(value, Mode(defaultMode));
            }

            return PayloadResult.Ok(files);
        }

        foreach (var item in items)
        {
            if (!data.TryGetValue(item.Key, out var value))
            {
                if (optional)
                {
                    continue;
                }

                return PayloadResult.Fail(missingKey + item.Key);
            }

            files[item.Path] = new FileProjection(value, Mode(item.Mode ?? defaultMode));
        }

        return PayloadResult.Ok(files);
    }
}
