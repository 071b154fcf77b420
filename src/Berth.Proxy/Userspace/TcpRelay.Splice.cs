using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Proxy.Native;
using Prometheus;

namespace Berth.Proxy.Userspace;

/// <summary>The bulk path: socket → pipe → socket inside the kernel (fast-paths.md).</summary>
internal sealed partial class TcpRelay
{
    private enum SpliceState
    {
        /// <summary>The source has nothing more right now and the pipe is empty.</summary>
        Drained,

        /// <summary>The source ended (FIN) and the pipe is empty.</summary>
        Ended,

        /// <summary>The destination cannot take more now; bytes wait in the pipe.</summary>
        DestinationFull,

        /// <summary>Moved a good stretch in one go: let other work on this thread run.</summary>
        Busy,

        Failed,
    }

    /// <summary>
    /// Moves <paramref name="from"/> → <paramref name="to"/> with <c>splice(2)</c> until the source ends: wait for data
    /// with a zero-byte read, splice until the source would block. When the destination is full the bytes in the pipe
    /// are read out and sent with an ordinary async send, which waits for room (.NET has no wait-until-writable).
    /// </summary>
    private async Task SpliceAsync(Socket from, Socket to, Counter.Child bytes)
    {
        var pipe = _context.Pipes.Rent();
        if (pipe is null)
        {
            await CopyRestAsync(from, to, bytes).ConfigureAwait(false);
            return;
        }

        long unreported = 0;
        try
        {
            while (true)
            {
                var state = Transfer(from, to, pipe, ref unreported);
                if (unreported >= MetricsFlushBytes)
                {
                    bytes.Inc(unreported);
                    unreported = 0;
                }

                switch (state)
                {
                    case SpliceState.Drained:
                        await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                        break;
                    case SpliceState.Busy:
                        await Task.Yield();
                        break;
                    case SpliceState.DestinationFull:
                        unreported += await FlushPipeAsync(pipe, to).ConfigureAwait(false);
                        break;
                    case SpliceState.Ended:
                        to.Shutdown(SocketShutdown.Send);
                        return;
                    default:
                        Abort();
                        return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Abort();
        }
        finally
        {
            _context.Pipes.Return(pipe);
            bytes.Inc(unreported);
        }
    }

    private static SpliceState Transfer(Socket from, Socket to, SplicePipe pipe, ref long moved)
    {
        var budget = 4L * pipe.Capacity;
        var fromHandle = from.SafeHandle;
        var toHandle = to.SafeHandle;
        bool fromRef = false, toRef = false;
        try
        {
            // Held references keep a concurrent Dispose from closing (and the kernel from reusing) the descriptors.
            fromHandle.DangerousAddRef(ref fromRef);
            toHandle.DangerousAddRef(ref toRef);
            var input = (int)fromHandle.DangerousGetHandle();
            var output = (int)toHandle.DangerousGetHandle();
            while (true)
            {
                if (pipe.Pending == 0)
                {
                    var read = LibC.Splice(input, 0, pipe.WriteFd, 0, (nuint)pipe.Capacity, LibC.SPLICE_F_MOVE | LibC.SPLICE_F_NONBLOCK);
                    if (read == 0)
                    {
                        return SpliceState.Ended;
                    }

                    if (read < 0)
                    {
                        var errno = Marshal.GetLastPInvokeError();
                        if (errno == LibC.EINTR)
                        {
                            continue;
                        }

                        return errno == LibC.EAGAIN ? SpliceState.Drained : SpliceState.Failed;
                    }

                    pipe.Pending = (int)read;
                }

                var written = LibC.Splice(pipe.ReadFd, 0, output, 0, (nuint)pipe.Pending, LibC.SPLICE_F_MOVE | LibC.SPLICE_F_NONBLOCK);
                if (written > 0)
                {
                    pipe.Pending -= (int)written;
                    moved += written;
                    budget -= written;
                    if (budget <= 0 && pipe.Pending == 0)
                    {
                        return SpliceState.Busy;
                    }

                    continue;
                }

                var error = Marshal.GetLastPInvokeError();
                if (written < 0 && error == LibC.EINTR)
                {
                    continue;
                }

                return written < 0 && error == LibC.EAGAIN ? SpliceState.DestinationFull : SpliceState.Failed;
            }
        }
        catch (ObjectDisposedException)
        {
            return SpliceState.Failed;
        }
        finally
        {
            if (fromRef)
            {
                fromHandle.DangerousRelease();
            }

            if (toRef)
            {
                toHandle.DangerousRelease();
            }
        }
    }

    /// <summary>Reads what waits in the pipe into a buffer and sends it (the send waits for room); returns the bytes sent.</summary>
    private static async Task<long> FlushPipeAsync(SplicePipe pipe, Socket to)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(pipe.Pending);
        long sent = 0;
        try
        {
            while (pipe.Pending > 0)
            {
                var n = ReadPipe(pipe, buffer);
                if (n <= 0)
                {
                    throw new IOException("reading a splice pipe failed");
                }

                pipe.Pending -= n;
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None).ConfigureAwait(false);
                sent += n;
            }

            return sent;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static unsafe int ReadPipe(SplicePipe pipe, byte[] buffer)
    {
        fixed (byte* p = buffer)
        {
            return (int)LibC.Read(pipe.ReadFd, p, (nuint)Math.Min(buffer.Length, pipe.Pending));
        }
    }

    /// <summary>Without a pipe: plain copying to the end.</summary>
    private async Task CopyRestAsync(Socket from, Socket to, Counter.Child bytes)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize * 4);
        long unreported = 0;
        try
        {
            int n;
            while ((n = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None).ConfigureAwait(false);
                unreported += n;
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Abort();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            bytes.Inc(unreported);
        }
    }
}
