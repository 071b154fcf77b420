using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Berth.Node.Images;

/// <summary>
/// The <c>--image-map</c> file: a YAML (or JSON) map from image name to the command that stands in for it, e.g.
/// <c>nginx:*: ["/usr/sbin/nginx", "-g", "daemon off;"]</c>. A key <c>repo:*</c> matches every tag (and no tag) of
/// <c>repo</c>; an exact key wins over a wildcard. The file is read again when it changes.
/// </summary>
internal sealed class ImageMap
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private DateTime _loadedWrite;
    private Dictionary<string, IReadOnlyList<string>> _entries = new(StringComparer.Ordinal);

    private ImageMap(string path) => _path = path;

    /// <summary>Loads <paramref name="path"/>; throws <see cref="InvalidDataException"/> when it is not a valid map.</summary>
    public static ImageMap Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var map = new ImageMap(Path.GetFullPath(path));
        map.Reload(throwOnError: true);
        return map;
    }

    /// <summary>Parses a map document (YAML or JSON).</summary>
    public static Dictionary<string, IReadOnlyList<string>> Parse(string text)
    {
        try
        {
            var raw = new DeserializerBuilder().Build().Deserialize<Dictionary<string, List<string>>?>(text) ?? [];
            var entries = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var (image, command) in raw)
            {
                if (string.IsNullOrWhiteSpace(image) || command is null || command.Count == 0)
                {
                    throw new InvalidDataException($"image map entry \"{image}\" must map an image name to a non-empty command array");
                }

                entries[image.Trim()] = command;
            }

            return entries;
        }
        catch (YamlException e)
        {
            throw new InvalidDataException("the image map is not a YAML/JSON map from image name to command array: " + e.Message, e);
        }
    }

    /// <summary>The command mapped to <paramref name="image"/>, or <c>null</c>.</summary>
    public IReadOnlyList<string>? Find(string image)
    {
        Reload(throwOnError: false);
        var entries = Volatile.Read(ref _entries);
        if (entries.TryGetValue(image, out var exact))
        {
            return exact;
        }

        return entries.TryGetValue(Repository(image) + ":*", out var wildcard) ? wildcard : null;
    }

    /// <summary>The image name without tag or digest (<c>registry:5000/app:1.0@sha256:…</c> → <c>registry:5000/app</c>).</summary>
    public static string Repository(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? image[..at] : image;
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }

    private void Reload(bool throwOnError)
    {
        lock (_gate)
        {
            try
            {
                var write = File.GetLastWriteTimeUtc(_path);
                if (write == _loadedWrite)
                {
                    return;
                }

                Volatile.Write(ref _entries, Parse(File.ReadAllText(_path)));
                _loadedWrite = write;
            }
            catch (Exception e) when (!throwOnError && e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // Keep the last good map; the agent logged the file when it started.
            }
        }
    }
}
