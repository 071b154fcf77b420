namespace Berth.Core.Files;

/// <summary>
/// Files only their owner may read: a data directory holds the store (every object), keys and the admin token, and
/// other users of the machine must not read them whatever the umask. Directories are 0700 and files 0600, set
/// explicitly after creation (the umask can only narrow a mode; an explicit chmod makes it exact). No privilege needed:
/// a process may always change the mode of what it owns.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode DirectoryPermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FilePermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> (and missing parents) mode 0700; an existing directory is left as it is (see <see cref="Narrow"/>).</summary>
    public static void CreateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(path, DirectoryPermissions);
        File.SetUnixFileMode(path, DirectoryPermissions);
    }

    /// <summary>
    /// Makes <paramref name="directory"/> 0700 and every file directly in it 0600 where they allow more (group or
    /// others bits, or execute), and returns what it changed with the mode it had: the directory (or null) and the
    /// files. Subdirectories are left to their owners; the directory's own 0700 already keeps other users out of them.
    /// </summary>
    public static (string? Directory, IReadOnlyList<string> Files) Narrow(string directory)
    {
        var changed = new List<string>();
        NarrowOne(directory, DirectoryPermissions, changed);
        var narrowedDirectory = changed.Count == 1 ? changed[0] : null;
        changed.Clear();
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            // chmod follows a symbolic link: leave links (and what they point at) alone.
            if (new FileInfo(file).LinkTarget is null)
            {
                NarrowOne(file, FilePermissions, changed);
            }
        }

        return (narrowedDirectory, changed);
    }

    /// <summary>Creates an empty 0600 file if <paramref name="path"/> is missing, else narrows its mode to 0600.</summary>
    public static void Touch(string path)
    {
        using (new FileStream(path, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = FilePermissions }))
        {
        }

        File.SetUnixFileMode(path, FilePermissions);
    }

    /// <summary>Opens (creating it 0600 when missing) a file for reading and writing, with the given sharing.</summary>
    public static FileStream Open(string path, FileShare share)
    {
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = share,
            UnixCreateMode = FilePermissions,
        });
        File.SetUnixFileMode(path, FilePermissions);
        return stream;
    }

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> mode 0600 before any byte is written, atomically
    /// (a temporary file renamed over it), so that no reader sees a half-written file.
    /// </summary>
    public static void WriteAllText(string path, string content)
    {
        var tmp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = FilePermissions };
        using (var stream = new FileStream(tmp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        File.SetUnixFileMode(tmp, FilePermissions);
        File.Move(tmp, path, overwrite: true);
    }

    private static void NarrowOne(string path, UnixFileMode wanted, List<string> changed)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & ~wanted) != 0)
        {
            File.SetUnixFileMode(path, mode & wanted);
            changed.Add($"{path} ({Octal(mode)})");
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
