using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Node.Streams;

/// <summary>
/// A pseudo-terminal for <c>exec -t</c> (no root needed): the agent keeps the master, the exec process opens the
/// slave by path as a session leader without a controlling terminal, which makes it the controlling terminal
/// (Linux <c>open(2)</c> without <c>O_NOCTTY</c>). The agent also holds the slave open until the process has ended, so
/// reading the master never reports a hang-up before the process has even opened it.
/// </summary>
internal sealed partial class Pty : IDisposable
{
    private const int OpenReadWrite = 0x2;
    private const int NoControllingTty = 0x100; // O_NOCTTY
    private const int CloseOnExec = 0x80000; // O_CLOEXEC
    private const ulong SetWindowSize = 0x5414; // TIOCSWINSZ (x86-64 and arm64)

    private readonly SafeFileHandle _master;
    private SafeFileHandle? _slave;

    private Pty(SafeFileHandle master, SafeFileHandle slave, string slavePath)
    {
        _master = master;
        _slave = slave;
        SlavePath = slavePath;
        Master = new FileStream(master, FileAccess.ReadWrite, bufferSize: 0);
    }

    /// <summary>The terminal's path (<c>/dev/pts/N</c>).</summary>
    public string SlavePath { get; }

    /// <summary>Reads what the process writes to its terminal; writes are its keyboard input.</summary>
    public FileStream Master { get; }

    public static Pty Open()
    {
        var fd = PosixOpenPt(OpenReadWrite | NoControllingTty | CloseOnExec);
        if (fd < 0)
        {
            throw new IOException("posix_openpt failed with errno " + Marshal.GetLastPInvokeError());
        }

        var master = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (GrantPt(fd) != 0 || UnlockPt(fd) != 0)
            {
                throw new IOException("grantpt/unlockpt failed with errno " + Marshal.GetLastPInvokeError());
            }

            var name = new byte[128];
            if (PtsNameR(fd, name, name.Length) != 0)
            {
                throw new IOException("ptsname_r failed with errno " + Marshal.GetLastPInvokeError());
            }

            var path = System.Text.Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
            var slaveFd = OpenPath(path, OpenReadWrite | NoControllingTty | CloseOnExec);
            if (slaveFd < 0)
            {
                throw new IOException($"open {path} failed with errno {Marshal.GetLastPInvokeError()}");
            }

            return new Pty(master, new SafeFileHandle(slaveFd, ownsHandle: true), path);
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    /// <summary>Sets the terminal size (the process gets SIGWINCH).</summary>
    public void Resize(ushort columns, ushort rows)
    {
        Span<ushort> size = [rows, columns, 0, 0];
        unsafe
        {
            fixed (ushort* p = size)
            {
                _ = Ioctl(_master.DangerousGetHandle().ToInt32(), SetWindowSize, p);
            }
        }
    }

    /// <summary>Drops the agent's own handle on the slave: once the process's handles are gone too, the master reads end.</summary>
    public void ReleaseSlave()
    {
        _slave?.Dispose();
        _slave = null;
    }

    public void Dispose()
    {
        ReleaseSlave();
        Master.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    private static partial int PosixOpenPt(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    private static partial int GrantPt(int fd);

    [LibraryImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    private static partial int UnlockPt(int fd);

    [LibraryImport("libc", EntryPoint = "ptsname_r", SetLastError = true)]
    private static partial int PtsNameR(int fd, [Out] byte[] buffer, nint length);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenPath(string path, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static unsafe partial int Ioctl(int fd, ulong request, ushort* argument);
}
