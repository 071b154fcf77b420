using System.Diagnostics;
using Berth.Node.Runtime;

namespace Berth.Node.Tests.Runtime;

/// <summary>
/// Berth built under a directory other users may not pass (a clone under /root, 0700): the built-in images' command
/// is mirrored where the pods' user (<c>nobody</c>) reaches it. Real files and a real process switched to nobody.
/// </summary>
public sealed class OtherUsersTests : IDisposable
{
    private readonly DirectoryInfo _closed = Directory.CreateTempSubdirectory("berth-closed-");
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("berth-work-");

    [Fact]
    public async Task ReachableCommand_UnderAClosedDirectory_IsMirroredWhereNobodyRunsIt()
    {
        Assert.True(Environment.IsPrivilegedProcess, "this test switches to nobody and needs root (CI runs as root)");
        _closed.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        _root.UnixFileMode = _closed.UnixFileMode | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        var app = Directory.CreateDirectory(Path.Combine(_closed.FullName, "app", "runtimes"));
        var script = Path.Combine(_closed.FullName, "app", "run.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\ncat \"$(dirname \"$0\")/runtimes/data.txt\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await File.WriteAllTextAsync(Path.Combine(app.FullName, "data.txt"), "reached\n");

        Assert.Equal(_closed.FullName, OtherUsers.FirstClosed(script));
        var (command, mirrored) = OtherUsers.ReachableCommand(["/bin/sh", script], _root.FullName);

        Assert.Equal("/bin/sh", command[0]);
        Assert.StartsWith(_root.FullName + "/", command[1], StringComparison.Ordinal);
        Assert.Equal([(script, Path.GetDirectoryName(command[1])!)], mirrored);
        Assert.Null(OtherUsers.FirstClosed(command[1]));
        Assert.Equal((0, "reached\n"), await AsNobodyAsync(command));
        Assert.NotEqual(0, (await AsNobodyAsync(["/bin/sh", script])).ExitCode);
    }

    [Fact]
    public void ReachableCommand_OpenPaths_Unchanged()
    {
        var (command, mirrored) = OtherUsers.ReachableCommand(["/bin/sh", "-c", "true"], _root.FullName);

        Assert.Equal(["/bin/sh", "-c", "true"], command);
        Assert.Empty(mirrored);
    }

    public void Dispose()
    {
        _closed.Delete(recursive: true);
        _root.Delete(recursive: true);
    }

    private static async Task<(int ExitCode, string Output)> AsNobodyAsync(IReadOnlyList<string> command)
    {
        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", .. command])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
