using Berth.Proxy.Native;
using Berth.Proxy.Observability;

namespace Berth.Proxy.Userspace.Engine;

/// <summary>Moving bytes: copy through a buffer for request/response traffic, <c>splice(2)</c> for bulk streams.</summary>
internal sealed unsafe partial class TcpConnection
{
    /// <summary>Read-and-write rounds a direction gets per turn of the loop before others get theirs.</summary>
    private const int RoundsPerTurn = 16;

    /// <summary>Byte counts reach the metrics in steps this big (and at the end), not once per read.</summary>
    private const long MetricsFlushBytes = 1 << 20;

    /// <summary>
    /// Moves what <paramref name="source"/> has to <paramref name="destination"/> until the source has nothing more for
    /// now (edge-triggered: every readiness is used up) or the destination is full (its EPOLLOUT resumes it). A short
    /// read means the socket was drained, so no extra read just to see EAGAIN — unless <paramref name="untilEmpty"/>:
    /// the peer's FIN may already wait behind the data, and no new edge would announce it. The source's end is passed
    /// on once its bytes are out. A direction whose reads keep filling the buffer
    /// (<see cref="UserspaceContext.SpliceAfterFullReads"/>) switches to splice.
    /// </summary>
    private void Pump(Direction d, int source, int destination, bool untilEmpty)
    {
        if (_state != State.Relaying || d.Ended)
        {
            return;
        }

        if (d.Pipe is not null)
        {
            Splice(d, source, destination);
            return;
        }

        for (var rounds = 0; ; rounds++)
        {
            if (d.Pending == 0)
            {
                if (d.FullReads >= _context.SpliceAfterFullReads && _context.Pipes.Rent() is { } pipe)
                {
                    Release(d);
                    d.Pipe = pipe;
                    Splice(d, source, destination);
                    return;
                }

                if (rounds >= RoundsPerTurn)
                {
                    _loop.Defer(this);
                    return;
                }

                if (d.Buffer is null)
                {
                    d.Buffer = _loop.Buffers.Rent();
                }

                var n = Sys.Recv(source, d.Buffer, BufferSize, 0);
                if (n > 0)
                {
                    d.Offset = 0;
                    d.Pending = (int)n;
                    d.Drained = n < BufferSize && !untilEmpty;
                    d.FullReads = n == BufferSize ? d.FullReads + 1 : 0;
                    Count(d, n);
                }
                else if (n == 0)
                {
                    Release(d);
                    End(d, destination);
                    return;
                }
                else if (Failure() is var failure && failure != Outcome.Interrupted)
                {
                    Release(d);
                    Stop(failure, destination, blockedOnWrite: false);
                    return;
                }
                else
                {
                    continue;
                }
            }

            var m = Sys.Send(destination, d.Buffer + d.Offset, (nuint)d.Pending, Sys.MSG_NOSIGNAL);
            if (m > 0)
            {
                d.Offset += (int)m;
                d.Pending -= (int)m;
                if (d.Pending == 0 && d.Drained)
                {
                    Release(d);
                    return;
                }
            }
            else if (Failure() is var failure && failure != Outcome.Interrupted)
            {
                Stop(failure, destination, blockedOnWrite: true);
                return;
            }
        }
    }

    private void Splice(Direction d, int source, int destination)
    {
        var pipe = d.Pipe!;
        for (var rounds = 0; ; rounds++)
        {
            if (pipe.Pending == 0)
            {
                if (rounds >= RoundsPerTurn)
                {
                    _loop.Defer(this);
                    return;
                }

                var n = LibC.Splice(source, 0, pipe.WriteFd, 0, (nuint)pipe.Capacity, LibC.SPLICE_F_MOVE | LibC.SPLICE_F_NONBLOCK);
                if (n > 0)
                {
                    pipe.Pending = (int)n;
                    Count(d, n);
                }
                else if (n == 0)
                {
                    End(d, destination);
                    return;
                }
                else if (Failure() is var failure && failure != Outcome.Interrupted)
                {
                    Stop(failure, destination, blockedOnWrite: false);
                    return;
                }
                else
                {
                    continue;
                }
            }

            var m = LibC.Splice(pipe.ReadFd, 0, destination, 0, (nuint)pipe.Pending, LibC.SPLICE_F_MOVE | LibC.SPLICE_F_NONBLOCK);
            if (m > 0)
            {
                pipe.Pending -= (int)m;
            }
            else if (Failure() is var failure && failure != Outcome.Interrupted)
            {
                Stop(failure, destination, blockedOnWrite: true);
                return;
            }
        }
    }

    /// <summary>What the errno of a failed non-blocking call means here.</summary>
    private static Outcome Failure() => Sys.Errno switch
    {
        Sys.EINTR => Outcome.Interrupted,
        Sys.EAGAIN => Outcome.WouldBlock,
        _ => Outcome.Broken,
    };

    /// <summary>
    /// A direction stops for now: it would block (on a write: wait until the destination takes more; on a read: the
    /// next edge brings more), or a socket broke (reset both sides).
    /// </summary>
    private void Stop(Outcome outcome, int destination, bool blockedOnWrite)
    {
        if (outcome == Outcome.Broken)
        {
            Abort();
        }
        else if (blockedOnWrite)
        {
            WaitWritable(destination);
        }
    }

    /// <summary>The source ended and everything it sent is out: pass the end on; both directions ended ⇒ close.</summary>
    private void End(Direction d, int destination)
    {
        d.Ended = true;
        Sys.Shutdown(destination, Sys.SHUT_WR);
        if (_up.Ended && _down.Ended)
        {
            Close();
        }
    }

    private static void Count(Direction d, long bytes)
    {
        d.Unreported += bytes;
        if (d.Unreported >= MetricsFlushBytes)
        {
            d.Report();
        }
    }

    private void Release(Direction d)
    {
        if (d.Buffer is not null)
        {
            _loop.Buffers.Return(d.Buffer);
            d.Buffer = null;
        }

        d.Pending = 0;
    }

    /// <summary>The connection is closing: give back what the direction holds and report its bytes.</summary>
    private void Finish(Direction d)
    {
        Release(d);
        if (d.Pipe is not null)
        {
            _context.Pipes.Return(d.Pipe);
            d.Pipe = null;
        }

        d.Report();
    }

    private enum Outcome
    {
        Interrupted,
        WouldBlock,
        Broken,
    }

    /// <summary>One direction of the connection: client → endpoint (<see cref="_up"/>) or back (<see cref="_down"/>).</summary>
    private sealed class Direction
    {
        /// <summary>Bytes read and not yet written start at <see cref="Offset"/>; null while nothing is in flight.</summary>
        public byte* Buffer;

        public int Offset;

        public int Pending;

        /// <summary>The last read was short: the source had nothing more at that moment.</summary>
        public bool Drained;

        /// <summary>Reads in a row that filled the whole buffer.</summary>
        public int FullReads;

        /// <summary>The source's end was passed on.</summary>
        public bool Ended;

        public long Unreported;

        public SplicePipe? Pipe;

        public EndpointMetrics? Metrics;

        /// <summary>Bytes read and not yet written (in the buffer or the pipe).</summary>
        public bool HasPending => Pending > 0 || Pipe?.Pending > 0;

        /// <summary>Whether this is the client → endpoint direction (its bytes are "sent").</summary>
        public bool Upstream;

        /// <summary>Clean for the next connection of the pooled object (<see cref="Finish"/> gave back what it held).</summary>
        public void Reset()
        {
            Offset = 0;
            Pending = 0;
            Drained = false;
            FullReads = 0;
            Ended = false;
            Unreported = 0;
            Metrics = null;
        }

        public void Report()
        {
            if (Unreported > 0 && Metrics is not null)
            {
                (Upstream ? Metrics.SentBytes : Metrics.ReceivedBytes).Inc(Unreported);
            }

            Unreported = 0;
        }
    }
}
