using System.Globalization;
using Berth.Node.Runtime;

namespace Berth.Node.Volumes;

/// <summary>
/// Writes a volume's files so that a reader sees all of the old set or all of the new, as the kubelet's AtomicWriter
/// (pkg/volume/util/atomic_writer.go): the files go into a fresh timestamped directory (<c>..2026_12_03_15_04_05.123</c>),
/// a <c>..data</c> symbolic link names the current one and is swapped by rename(2), and each top-level name is a link
/// <c>key → ..data/key</c>. A reader of <c>key</c> follows <c>..data</c> once, so it never mixes two versions.
/// </summary>
internal static class AtomicWriter
{
    public const string DataDirName = "..data";
    private const string NewDataDirName = "..data_tmp";

    /// <summary>rwxr-xr-x: the timestamped directory and its subdirectories, readable by the pod's user.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>
    /// Makes <paramref name="targetDir"/> hold exactly <paramref name="payload"/>. Returns whether anything changed, or
    /// the error of an invalid path (absolute, with <c>..</c> or starting with <c>..</c>, as the kubelet's validatePath).
    /// </summary>
    /// <param name="targetDir">The volume's directory.</param>
    /// <param name="payload">Relative path → file.</param>
    /// <param name="now">Names the new timestamped directory.</param>
    /// <param name="owner">Who owns what is written (a root agent: the pod's user, see PodVolumes); null: the agent.</param>
    public static (bool Changed, string? Error) Write(string targetDir, IReadOnlyDictionary<string, FileProjection> payload, DateTimeOffset now, ProcessUser? owner = null)
    {
        foreach (var path in payload.Keys)
        {
            if (ValidatePath(path) is { } error)
            {
                return (false, error);
            }
        }

        Directory.CreateDirectory(targetDir, DirectoryMode);
        Own(targetDir, owner);
        var dataLink = Path.Combine(targetDir, DataDirName);
        var oldName = new FileInfo(dataLink).LinkTarget;
        var visible = payload.Keys.Select(k => k.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        if (oldName is not null && SamePayload(Path.Combine(targetDir, oldName), payload))
        {
            CreateVisibleLinks(targetDir, visible, owner);
            return (false, null);
        }

        var newName = NewDirectory(targetDir, now);
        var newDir = Path.Combine(targetDir, newName);
        foreach (var (path, file) in payload)
        {
            var full = Path.Combine(newDir, path);
            CreateDirectories(newDir, Path.GetDirectoryName(path) ?? string.Empty, owner);
            using (var stream = new FileStream(full, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = file.Mode }))
            {
                stream.Write(file.Data);
                File.SetUnixFileMode(stream.SafeFileHandle, file.Mode); // whatever the umask
            }

            Own(full, owner);
        }

        Own(newDir, owner);

        // The swap: a new link, renamed over the old one (rename(2) replaces it atomically).
        var newLink = Path.Combine(targetDir, NewDataDirName);
        File.Delete(newLink);
        File.CreateSymbolicLink(newLink, newName);
        Own(newLink, owner);
        Posix.Rename(newLink, dataLink);

        CreateVisibleLinks(targetDir, visible, owner);
        foreach (var entry in new DirectoryInfo(targetDir).EnumerateFileSystemInfos())
        {
            if (!entry.Name.StartsWith("..", StringComparison.Ordinal) && !visible.Contains(entry.Name))
            {
                entry.Delete(); // a link to a key that is gone
            }
        }

        if (oldName is not null && oldName != newName && Directory.Exists(Path.Combine(targetDir, oldName)))
        {
            Directory.Delete(Path.Combine(targetDir, oldName), recursive: true);
        }

        return (true, null);
    }

    private static string? ValidatePath(string path)
    {
        if (path.Length == 0)
        {
            return "invalid path: must not be empty";
        }

        if (Path.IsPathRooted(path))
        {
            return $"invalid path: must be relative path: {path}";
        }

        if (path.Split('/').Contains(".."))
        {
            return $"invalid path: must not contain '..': {path}";
        }

        return path.StartsWith("..", StringComparison.Ordinal) ? $"invalid path: must not start with '..': {path}" : null;
    }

    private static string NewDirectory(string targetDir, DateTimeOffset now)
    {
        var prefix = ".." + now.UtcDateTime.ToString("yyyy_MM_dd_HH_mm_ss.", CultureInfo.InvariantCulture);
        while (true)
        {
            var name = prefix + Random.Shared.Next(100_000_000, 1_000_000_000).ToString(CultureInfo.InvariantCulture);
            var dir = Path.Combine(targetDir, name);
            if (!Path.Exists(dir))
            {
                Directory.CreateDirectory(dir, DirectoryMode);
                File.SetUnixFileMode(dir, DirectoryMode);
                return name;
            }
        }
    }

    private static void Own(string path, ProcessUser? owner)
    {
        if (owner is not null)
        {
            Posix.ChangeOwner(path, owner.Uid, owner.Gid);
        }
    }

    /// <summary>The subdirectories of a payload path (<c>a/b</c> of <c>a/b/file</c>), 0755 and owned as the files.</summary>
    private static void CreateDirectories(string root, string relative, ProcessUser? owner)
    {
        var dir = root;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            dir = Path.Combine(dir, part);
            if (!Directory.Exists(dir))
            {
                Directory.CreateDirectory(dir, DirectoryMode);
                Own(dir, owner);
            }
        }
    }

    private static void CreateVisibleLinks(string targetDir, HashSet<string> names, ProcessUser? owner)
    {
        foreach (var name in names)
        {
            var link = Path.Combine(targetDir, name);
            if (new FileInfo(link).LinkTarget is null)
            {
                if (Path.Exists(link) || File.Exists(link))
                {
                    File.Delete(link);
                }

                File.CreateSymbolicLink(link, Path.Combine(DataDirName, name));
                Own(link, owner);
            }
        }
    }

    /// <summary>Whether <paramref name="dir"/> holds exactly these files with these contents and modes.</summary>
    private static bool SamePayload(string dir, IReadOnlyDictionary<string, FileProjection> payload)
    {
        if (!Directory.Exists(dir))
        {
            return false;
        }

        var existing = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToList();
        if (existing.Count != payload.Count)
        {
            return false;
        }

        foreach (var (path, file) in payload)
        {
            var full = Path.Combine(dir, path);
            if (!File.Exists(full) || File.GetUnixFileMode(full) != file.Mode || !File.ReadAllBytes(full).AsSpan().SequenceEqual(file.Data))
            {
                return false;
            }
        }

        return true;
    }
}
