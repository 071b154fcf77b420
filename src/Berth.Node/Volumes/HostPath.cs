using System.Diagnostics;

namespace Berth.Node.Volumes;

/// <summary>
/// The type check of a hostPath volume (pkg/volume/hostpath/host_path.go checkType): <c>DirectoryOrCreate</c> and
/// <c>FileOrCreate</c> create what is missing (0755, 0644), the other types only check; no type (<c>""</c>) creates a
/// missing path as a directory, as container runtimes do.
/// </summary>
internal static class HostPath
{
    /// <returns>Null when the path is as asked, else the kubelet's error.</returns>
    public static string? Check(string path, string type)
    {
        switch (type)
        {
            case "":
            case "DirectoryOrCreate":
                if (!Path.Exists(path))
                {
                    Directory.CreateDirectory(path, AtomicWriter.DirectoryMode);
                    return null;
                }

                return type == "" || Directory.Exists(path) ? null : $"hostPath type check failed: {path} is not a directory";
            case "Directory":
                return Directory.Exists(path) ? null : $"hostPath type check failed: {path} is not a directory";
            case "FileOrCreate":
                if (!Path.Exists(path))
                {
                    using var created = new FileStream(path, new FileStreamOptions
                    {
                        Mode = FileMode.CreateNew,
                        Access = FileAccess.Write,
                        UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    });
                    return null;
                }

                return File.Exists(path) ? null : $"hostPath type check failed: {path} is not a file";
            case "File":
                return File.Exists(path) ? null : $"hostPath type check failed: {path} is not a file";
            case "Socket":
                return Test("-S", path) ? null : $"hostPath type check failed: {path} is not a socket file";
            case "CharDevice":
                return Test("-c", path) ? null : $"hostPath type check failed: {path} is not a character device";
            case "BlockDevice":
                return Test("-b", path) ? null : $"hostPath type check failed: {path} is not a block device";
            default:
                return $"hostPath type check failed: unknown type {type}";
        }
    }

    /// <summary><c>test(1)</c>: .NET does not tell sockets and devices apart.</summary>
    private static bool Test(string flag, string path)
    {
        var start = new ProcessStartInfo(Runtime.SandboxTools.Shell) { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("test " + flag + " \"$0\"");
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
