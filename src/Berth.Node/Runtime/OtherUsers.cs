using System.Globalization;

namespace Berth.Node.Runtime;

/// <summary>
/// What users other than root can reach: pods run as such users (<c>nobody</c> by default) when the agent is root, and
/// must reach their working directories and the berth program the built-in images run.
/// </summary>
internal static class OtherUsers
{
    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>
    /// The first directory above <paramref name="path"/> that users other than its owner and group may not pass, or
    /// <paramref name="path"/> itself when a file they may not read; null when <c>nobody</c> reaches it.
    /// </summary>
    public static string? FirstClosed(string path)
    {
        for (var dir = Path.GetDirectoryName(path); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if ((File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0)
            {
                return dir;
            }
        }

        return File.Exists(path) && (File.GetUnixFileMode(path) & UnixFileMode.OtherRead) == 0 ? path : null;
    }

    /// <summary>
    /// <paramref name="command"/> with every absolute path under a directory other users may not pass (berth built or
    /// installed in a clone under /root, mode 0700) replaced by the same file in a mirror of its directory under
    /// <paramref name="root"/> (a directory others may pass): hard links — the same files, nothing copied — or copies
    /// across file systems, in directories every user may read. Files closed to others stay closed.
    /// </summary>
    public static (string[] Command, IReadOnlyList<(string Path, string Mirror)> Mirrored) ReachableCommand(IReadOnlyList<string> command, string root)
    {
        var result = command.ToArray();
        var mirrored = new List<(string, string)>();
        for (var i = 0; i < result.Length; i++)
        {
            if (!Path.IsPathFullyQualified(result[i]) || FirstClosed(result[i]) is not { } closed || closed == result[i])
            {
                continue;
            }

            var mirror = Path.Combine(root, "berth-" + i.ToString(CultureInfo.InvariantCulture));
            MirrorDirectory(Path.GetDirectoryName(result[i])!, mirror);
            mirrored.Add((result[i], mirror));
            result[i] = Path.Combine(mirror, Path.GetFileName(result[i]));
        }

        return (result, mirrored);
    }

    private static void MirrorDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, Readable);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var to = Path.Combine(target, entry.Name);
            if (entry is DirectoryInfo { LinkTarget: null } dir)
            {
                MirrorDirectory(dir.FullName, to);
            }
            else if (entry is FileInfo { LinkTarget: null } file && !Posix.TryHardLink(file.FullName, to))
            {
                file.CopyTo(to);
            }
        }
    }
}
