namespace Berth.Proxy.Native;

/// <summary>
/// A kernel pipe for <c>splice(2)</c> (socket → pipe → socket, no copy through user space), non-blocking on both ends.
/// One per direction of a connection in splice mode; <see cref="PipePool"/> keeps empty ones for reuse.
/// </summary>
internal sealed unsafe class SplicePipe : IDisposable
{
    private SplicePipe(int read, int write, int capacity)
    {
        ReadFd = read;
        WriteFd = write;
        Capacity = capacity;
    }

    public int ReadFd { get; }

    public int WriteFd { get; }

    /// <summary>The pipe's size in bytes: the most one splice moves.</summary>
    public int Capacity { get; }

    /// <summary>Bytes spliced in and not yet out: a pipe is only reused when this is zero.</summary>
    public int Pending { get; set; }

    /// <summary>A new pipe of (at least) <paramref name="size"/> bytes, or null when the kernel refuses one.</summary>
    public static SplicePipe? Create(int size)
    {
        var fds = stackalloc int[2];
        if (LibC.Pipe2(fds, LibC.O_NONBLOCK | LibC.O_CLOEXEC) != 0)
        {
            return null;
        }

        // The default is 64 KiB; bigger pipes move more per call. Unprivileged callers are capped by
        // /proc/sys/fs/pipe-max-size (1 MiB by default): keep whatever the kernel grants.
        var granted = LibC.Fcntl(fds[1], LibC.F_SETPIPE_SZ, size);
        return new SplicePipe(fds[0], fds[1], granted > 0 ? granted : 65536);
    }

    public void Dispose()
    {
        LibC.Close(ReadFd);
        LibC.Close(WriteFd);
    }
}
